import type { Lab, LabContext, LabServices, ResolvedLabOptions } from '@concurrency-lab/model';
import {
  connectLabDatabase,
  type EmbeddedServer,
  schemaNameFor,
  startEmbeddedPostgres,
} from '@concurrency-lab/postgres';
import {
  checkRedisUrl,
  parseRedlockUrls,
  REDLOCK_NODE_COUNT,
  type RedisNode,
  startRedisNodes,
  stopRedisNodes,
} from '@concurrency-lab/redis';
import { freshNamespace } from './namespace.ts';
import { startToxiproxy, type ToxiproxyServer } from './network/toxiproxy-server.ts';
import { connectRedisService, connectRedlockService } from './redis-services.ts';

export interface PreparedRun {
  readonly context: LabContext;
  /** Drops the run's schema and Redis keys (unless `keep`) and closes its connections. */
  release(): Promise<void>;
}

export interface PrepareOptions {
  /** The lab's options, resolved once by whoever planned the run (resolveLabOptions). */
  readonly options: ResolvedLabOptions;
  /** A fixed namespace shares state between processes (the server's replicas); default: a fresh one. */
  readonly namespace?: string;
  /** Keep the run's schema and Redis keys after release (the server's state outlives a request). */
  readonly keep?: boolean;
  /** Where to connect instead of the hub's own URLs (a network proxy in front of a store). */
  readonly urls?: {
    readonly postgres?: string;
    readonly redis?: string;
    readonly redlock?: readonly string[];
  };
}

/** Starts nodes once; a failed start is forgotten so that the next run may try again. */
const startOnce = (count: number, forget: () => void, persist = false): Promise<RedisNode[]> =>
  startRedisNodes(count, { persist }).catch((error: unknown) => {
    forget();
    throw error;
  });

/**
 * Provides the services labs need, once per process: Postgres from LAB_DATABASE_URL or, when it
 * is not set, an embedded server started on first use; Redis from LAB_REDIS_URL, the Redlock nodes
 * from LAB_REDLOCK_URLS or, when those are not set, redis-server processes started on first use.
 * `close()` stops whatever it started.
 */
export class ServiceHub {
  #embedded: Promise<EmbeddedServer> | undefined;
  #redisNode: Promise<RedisNode[]> | undefined;
  #redlockNodes: Promise<RedisNode[]> | undefined;
  #toxiproxy: Promise<ToxiproxyServer> | undefined;

  /** Where Postgres is: LAB_DATABASE_URL, or the embedded server (started now if needed). */
  async postgresUrl(): Promise<string> {
    const fromEnv = process.env.LAB_DATABASE_URL;
    if (fromEnv) return fromEnv;
    this.#embedded ??= startEmbeddedPostgres();
    return (await this.#embedded).url;
  }

  /** Where the Redis labs' Redis is: LAB_REDIS_URL, or a redis-server started now if needed. */
  async redisUrl(): Promise<string> {
    const fromEnv = process.env.LAB_REDIS_URL;
    if (fromEnv) return checkRedisUrl(fromEnv, 'LAB_REDIS_URL');
    // Persistent: it holds redis-lua's state, which a crash of the node must not lose (Redlock's nodes hold only locks).
    this.#redisNode ??= startOnce(
      1,
      () => {
        this.#redisNode = undefined;
      },
      true,
    );
    const [node] = await this.#redisNode;
    if (!node) throw new Error('startRedisNodes(1) returned no node');
    return node.url;
  }

  /** Where the Redlock nodes are: LAB_REDLOCK_URLS, or five redis-servers started now if needed. */
  async redlockUrls(): Promise<string[]> {
    const fromEnv = process.env.LAB_REDLOCK_URLS;
    if (fromEnv) return parseRedlockUrls(fromEnv);
    this.#redlockNodes ??= startOnce(REDLOCK_NODE_COUNT, () => {
      this.#redlockNodes = undefined;
    });
    return (await this.#redlockNodes).map((node) => node.url);
  }

  /**
   * The redis-server nodes this hub started for `lab`'s lock service (redlock's five, or the one of
   * redis-lock and redis-lua), for faults to act on; undefined when it started none for it.
   */
  async startedRedisNodes(lab: Lab): Promise<readonly RedisNode[] | undefined> {
    const started = lab.needs.includes('redlock')
      ? this.#redlockNodes
      : lab.needs.includes('redis')
        ? this.#redisNode
        : undefined;
    return started ? await started : undefined;
  }

  /** Connects every service `lab` needs, in a namespace of its own, and builds its context. */
  async prepare(
    lab: Lab,
    { options, namespace = freshNamespace(lab.name), keep = false, urls = {} }: PrepareOptions,
  ): Promise<PreparedRun> {
    const releases: Array<() => Promise<void>> = [];
    const services: { -readonly [K in keyof LabServices]: LabServices[K] } = {};
    try {
      // The servers a lab needs start side by side (an embedded Postgres and redis-server nodes each
      // take a moment); connecting to them (or to the routes a network fault put in front) follows.
      const [postgresUrl, redisUrl, redlockUrls] = await Promise.all([
        lab.needs.includes('postgres') ? this.postgresUrl() : undefined,
        lab.needs.includes('redis') ? this.redisUrl() : undefined,
        lab.needs.includes('redlock') ? this.redlockUrls() : undefined,
      ]);
      if (postgresUrl !== undefined) {
        const handle = await connectLabDatabase({
          url: urls.postgres ?? postgresUrl,
          schema: schemaNameFor(namespace),
          ...(lab.setup?.postgres ? { labMigrations: lab.setup.postgres.migrations } : {}),
        });
        services.postgres = { db: handle.db };
        releases.push(async () => {
          if (!keep) await handle.drop();
          await handle.close();
        });
      }
      if (redisUrl !== undefined) {
        const redis = await connectRedisService(urls.redis ?? redisUrl, namespace);
        services.redis = redis.service;
        releases.push(() => redis.release(keep));
      }
      if (redlockUrls !== undefined) {
        const redlock = await connectRedlockService(
          urls.redlock ? [...urls.redlock] : redlockUrls,
          namespace,
        );
        services.redlock = redlock.service;
        releases.push(() => redlock.release(keep));
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

  /** The Toxiproxy server of this hub's network faults, started on first use. */
  toxiproxy(): Promise<ToxiproxyServer> {
    this.#toxiproxy ??= startToxiproxy().catch((error: unknown) => {
      this.#toxiproxy = undefined;
      throw error;
    });
    return this.#toxiproxy;
  }

  /** Stops whatever this hub started. */
  async close(): Promise<void> {
    const toxiproxy = this.#toxiproxy;
    this.#toxiproxy = undefined;
    await toxiproxy?.then((server) => server.stop()).catch(() => {});
    const embedded = this.#embedded;
    const started = [this.#redisNode, this.#redlockNodes];
    this.#embedded = undefined;
    this.#redisNode = undefined;
    this.#redlockNodes = undefined;
    await Promise.allSettled([
      embedded?.then((server) => server.stop()),
      ...started.map((nodes) => nodes?.then(stopRedisNodes)),
    ]);
  }
}
