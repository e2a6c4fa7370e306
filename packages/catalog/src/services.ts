import { randomBytes } from 'node:crypto';
import type { Lab, LabContext, LabOptionValue, LabServices } from '@concurrency-lab/model';
import {
  connectLabDatabase,
  type EmbeddedServer,
  schemaNameFor,
  startEmbeddedPostgres,
} from '@concurrency-lab/postgres';

export interface PreparedRun {
  readonly context: LabContext;
  /** Drops the run's schema (unless `keep`) and closes its connections. */
  release(): Promise<void>;
}

export interface PrepareOptions {
  readonly options: Readonly<Record<string, LabOptionValue>>;
  /** A fixed namespace shares state between processes (the server's replicas); default: a fresh one. */
  readonly namespace?: string;
  /** Keep the run's schema after release (the server's state outlives a request). */
  readonly keep?: boolean;
}

/** A short unique name for one run: keeps runs that share a server apart. */
export const freshNamespace = (lab: string): string =>
  `${lab}_${randomBytes(4).toString('hex')}`.replace(/-/g, '_');

/**
 * Provides the services labs need, once per process: Postgres from LAB_DATABASE_URL or, when it
 * is not set, an embedded server started on first use and stopped by `close()`.
 */
export class ServiceHub {
  #embedded: Promise<EmbeddedServer> | undefined;

  /** Where Postgres is: LAB_DATABASE_URL, or the embedded server (started now if needed). */
  async postgresUrl(): Promise<string> {
    const fromEnv = process.env.LAB_DATABASE_URL;
    if (fromEnv) return fromEnv;
    this.#embedded ??= startEmbeddedPostgres();
    return (await this.#embedded).url;
  }

  /** Connects every service `lab` needs, in a namespace of its own, and builds its context. */
  async prepare(
    lab: Lab,
    { options, namespace = freshNamespace(lab.name), keep = false }: PrepareOptions,
  ): Promise<PreparedRun> {
    const releases: Array<() => Promise<void>> = [];
    const services: { -readonly [K in keyof LabServices]: LabServices[K] } = {};
    try {
      if (lab.needs.includes('postgres')) {
        const handle = await connectLabDatabase({
          url: await this.postgresUrl(),
          schema: schemaNameFor(namespace),
        });
        services.postgres = { db: handle.db };
        releases.push(async () => {
          if (!keep) await handle.drop();
          await handle.close();
        });
      }
    } catch (error) {
      await Promise.allSettled(releases.map((release) => release()));
      throw error;
    }
    return {
      context: { lab: lab.name, options, services, namespace },
      release: async () => {
        await Promise.allSettled(releases.reverse().map((release) => release()));
      },
    };
  }

  /** Stops whatever this hub started. */
  async close(): Promise<void> {
    const embedded = this.#embedded;
    this.#embedded = undefined;
    if (embedded) await (await embedded).stop();
  }
}
