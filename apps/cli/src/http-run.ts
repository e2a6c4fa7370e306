import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type FaultRequest,
  type FaultSchedule,
  faultNemeses,
  type Progress,
  type RunResult,
  type Scenario,
} from '@concurrency-lab/harness';
import { runScenarioOverHttp } from '@concurrency-lab/http-client';
import type { Lab, ResolvedLabOptions } from '@concurrency-lab/model';
import { labNamespace, startLabReplicas } from '@concurrency-lab/server';
import { faultContextFor, type ServiceHub } from '@concurrency-lab/services';
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
  /** Faults of the run (faultsFor has checked they can act over HTTP), and when. */
  readonly faults?: readonly FaultRequest[];
  readonly faultSchedule?: FaultSchedule;
}

/** Resolves once `url`'s /health answers 200 (a replica restarted after a fault); rejects after `timeoutMs`. */
const untilHealthy = async (url: string | undefined, timeoutMs: number): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (url !== undefined && performance.now() < deadline) {
    const ok = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(1_000) })
      .then((response) => response.ok)
      .catch(() => false);
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`the replica at ${url} was not serving again within ${timeoutMs} ms`);
};

/**
 * A run over HTTP: against `--target`, or with the services and N replica processes started here
 * the way `lab serve` and `lab k6` start them (clients spread round-robin), stopped afterwards with
 * the run's schema and keys removed.
 */
export const runOverHttp = async (hub: ServiceHub, run: HttpRunOptions): Promise<RunResult> => {
  const { servers, faults = [], ...rest } = run;
  if (servers.kind === 'target')
    return runScenarioOverHttp({
      ...rest,
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
      // Faults reach what this run started: the hub's Redis nodes, the replicas' schema, the replicas.
      const context = {
        ...(await faultContextFor(hub, lab, options, labNamespace(namespace, lab.name))),
        replicas: {
          pids: () => set.pids(),
          untilServing: (i: number, ms: number) => untilHealthy(set.urls[i], ms),
        },
      };
      const nemeses = faultNemeses(faults, context);
      return await runScenarioOverHttp({
        ...rest,
        urls: set.urls,
        adminToken: token,
        servers: 'started',
        nemeses,
      });
    } finally {
      await set.stop();
    }
  } finally {
    const cleanup = await hub.prepare(lab, { options, namespace: labNamespace(namespace, lab.name) });
    await cleanup.release();
  }
};
