import { randomBytes } from 'node:crypto';
import type { Progress, RunResult, Scenario } from '@concurrency-lab/harness';
import { runScenarioOverHttp } from '@concurrency-lab/http-client';
import type { Lab, ResolvedLabOptions } from '@concurrency-lab/model';
import { labNamespace, startLabReplicas } from '@concurrency-lab/server';
import type { ServiceHub } from '@concurrency-lab/services';
import type { HttpServers } from './http-flags.ts';

/** One run over HTTP, as runLab does in process. */
export interface HttpRunOptions {
  readonly lab: Lab;
  readonly scenario: Scenario;
  readonly options: ResolvedLabOptions;
  readonly servers: HttpServers;
  readonly concurrency?: number;
  readonly seed: number;
  readonly raceWindowMs: number;
  readonly onProgress?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
  /** Lines about servers starting and stopping (stderr). */
  readonly log?: (line: string) => void;
}

/**
 * A run over HTTP: against `--target`, or with the services and N replica processes started here
 * the way `lab serve` and `lab k6` start them (clients spread round-robin), stopped afterwards with
 * the run's schema and keys removed.
 */
export const runOverHttp = async (hub: ServiceHub, run: HttpRunOptions): Promise<RunResult> => {
  const { servers } = run;
  if (servers.kind === 'target')
    return runScenarioOverHttp({
      ...run,
      urls: servers.urls,
      adminToken: servers.adminToken,
      servers: 'target',
    });
  const { lab, options } = run;
  const log = run.log ?? (() => {});
  // A namespace of the run's own: runs sharing one Postgres (LAB_DATABASE_URL) never meet.
  const namespace = `http_${randomBytes(4).toString('hex')}`;
  const token = randomBytes(16).toString('hex');
  log(
    `Starting the services and ${servers.replicas} replica${servers.replicas === 1 ? '' : 's'} for ${lab.name}…`,
  );
  try {
    const set = await startLabReplicas(hub, {
      lab,
      options,
      replicas: servers.replicas,
      raceWindowMs: run.raceWindowMs,
      adminToken: token,
      namespace,
    });
    try {
      return await runScenarioOverHttp({ ...run, urls: set.urls, adminToken: token, servers: 'started' });
    } finally {
      await set.stop();
    }
  } finally {
    const cleanup = await hub.prepare(lab, { options, namespace: labNamespace(namespace, lab.name) });
    await cleanup.release();
  }
};
