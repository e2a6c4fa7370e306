import { randomBytes } from 'node:crypto';
import {
  allCheckers,
  type Checker,
  countByReplica,
  judgeCriteria,
  type Progress,
  type RunResult,
  replicaOfClient,
  runScenario,
  type Scenario,
  successCriteriaFor,
} from '@concurrency-lab/harness';
import { HttpLabStore, HttpPools, httpRunStore, openHttpSession } from '@concurrency-lab/http-client';
import type { Lab, LabContext, ResolvedLabOptions } from '@concurrency-lab/model';
import { labNamespace, prepareSharedServices, startReplicaSet } from '@concurrency-lab/server';
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

/** Sockets per replica: one per client sharing it, as each in-process client has its own connection, capped. */
const connectionsFor = (clients: number, replicas: number): number =>
  Math.min(500, Math.max(1, Math.ceil(clients / replicas)));

/**
 * The ledger rows carry the server's op id, the history the harness's: the checkers see each op by
 * the id its server gave it (ops that got no answer keep the harness's, and match no row).
 */
const byServerIds = (serverIds: ReadonlyMap<string, string>): Checker => ({
  name: allCheckers.name,
  check: (input) =>
    allCheckers.check({
      ...input,
      history: input.history.map((op) => ({ ...op, id: serverIds.get(op.id) ?? op.id })),
    }),
});

/**
 * Retries, conflicts and lock waits happen in the servers, which count them per replica (their
 * check): summed over the replicas, they replace the client side's zeros.
 */
const serverContention = async (
  pools: HttpPools,
  urls: readonly string[],
  lab: string,
  ok: number,
): Promise<RunResult['contention']> => {
  const checks = await Promise.all(urls.map((baseUrl) => new HttpLabStore(pools, { baseUrl, lab }).check()));
  const sum = (pick: (c: (typeof checks)[number]['contention']) => number) =>
    checks.reduce((total, check) => total + pick(check.contention), 0);
  const retries = sum((c) => c.retries);
  return {
    conflicts: sum((c) => c.conflicts),
    retries,
    lockWaitMs: sum((c) => c.lockWaitMs),
    attemptsPerOk: ok > 0 ? Number(((ok + retries) / ok).toFixed(3)) : 0,
  };
};

/** Drives the scenario through servers at `urls` with the harness's runner, history and checkers. */
const driveServers = async (
  run: HttpRunOptions,
  urls: readonly string[],
  adminToken: string | undefined,
  servers: 'started' | 'target',
): Promise<RunResult> => {
  const { lab, scenario } = run;
  const clients = run.concurrency ?? scenario.defaultConcurrency;
  const pools = new HttpPools({ connections: connectionsFor(clients, urls.length) });
  // The ledger of a full storm is megabytes: its reads get a pool of their own with room for it.
  const storePools = new HttpPools({ connections: 4, maxResponseBytes: 512 * 1024 * 1024 });
  const serverIds = new Map<string, string>();
  // The clients never reach the lab's own services: every operation and read goes over HTTP.
  const context: LabContext = {
    lab: lab.name,
    options: run.options,
    services: {},
    namespace: `http_${randomBytes(4).toString('hex')}`,
  };
  try {
    const result = await runScenario({
      lab,
      scenario,
      context,
      ...(run.concurrency === undefined ? {} : { concurrency: run.concurrency }),
      seed: run.seed,
      raceWindowMs: run.raceWindowMs,
      replicas: urls.length,
      store: httpRunStore(storePools, { urls, lab: lab.name, scenario: scenario.name, adminToken }),
      openClient: async (client) =>
        openHttpSession(pools, {
          baseUrl: replicaOfClient(client, urls),
          lab: lab.name,
          onExchange: ({ opId, serverOpId }) => {
            if (serverOpId !== undefined) serverIds.set(opId, serverOpId);
          },
        }),
      checker: byServerIds(serverIds),
      ...(run.onProgress ? { onProgress: run.onProgress } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
    });
    const history = result.history.map((op) => ({ ...op, id: serverIds.get(op.id) ?? op.id }));
    // An interrupted run's servers may be gone: its contention stays the client side's.
    const contention = result.interrupted
      ? result.contention
      : await serverContention(storePools, urls, lab.name, result.counts.ok);
    return {
      ...result,
      contention,
      history,
      http: { servers, replicas: urls.length, byReplica: countByReplica(history, urls) },
      criteria: judgeCriteria(successCriteriaFor(scenario.name), result),
    };
  } finally {
    await Promise.all([pools.close(), storePools.close()]);
  }
};

/**
 * A run over HTTP: against `--target`, or with the services and N replica processes started here
 * the way `lab serve` and `lab k6` start them (clients spread round-robin), stopped afterwards with
 * the run's schema and keys removed.
 */
export const runOverHttp = async (hub: ServiceHub, run: HttpRunOptions): Promise<RunResult> => {
  const { servers } = run;
  if (servers.kind === 'target') return driveServers(run, servers.urls, servers.adminToken, 'target');
  const { lab, options } = run;
  const log = run.log ?? (() => {});
  // A namespace of the run's own: runs sharing one Postgres (LAB_DATABASE_URL) never meet.
  const namespace = `http_${randomBytes(4).toString('hex')}`;
  const token = randomBytes(16).toString('hex');
  log(
    `Starting the services and ${servers.replicas} replica${servers.replicas === 1 ? '' : 's'} for ${lab.name}…`,
  );
  const env = await prepareSharedServices(hub, [{ lab, options }], namespace);
  try {
    const set = await startReplicaSet({
      replicas: servers.replicas,
      port: 0,
      env: {
        ...env,
        LAB_LABS: lab.name,
        LAB_OPTIONS: JSON.stringify({ [lab.name]: options }),
        LAB_RACE_WINDOW_MS: String(run.raceWindowMs),
        LAB_ADMIN_TOKEN: token,
        LAB_NAMESPACE: namespace,
      },
    });
    try {
      return await driveServers(run, set.urls, token, 'started');
    } finally {
      await set.stop();
    }
  } finally {
    const cleanup = await hub.prepare(lab, { options, namespace: labNamespace(namespace, lab.name) });
    await cleanup.release();
  }
};
