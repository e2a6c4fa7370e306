import { randomBytes } from 'node:crypto';
import {
  countByReplica,
  type FaultSchedule,
  judgeCriteria,
  type Nemesis,
  type Progress,
  type RunResult,
  replicaOfClient,
  runScenario,
  type Scenario,
  successCriteriaFor,
} from '@concurrency-lab/harness';
import type { Lab, LabContext, ResolvedLabOptions } from '@concurrency-lab/model';
import { openHttpSession } from './http-lab-session.ts';
import { HttpLabStore } from './http-lab-store.ts';
import { HttpPools, parseBaseUrl } from './http-pools.ts';
import { httpRunStore } from './http-run-store.ts';

/** One scenario through running servers, as runScenario runs it in process. */
export interface HttpScenarioRun {
  readonly lab: Lab;
  readonly scenario: Scenario;
  readonly options: ResolvedLabOptions;
  /** Every replica's base URL: client i talks to urls[i mod N]. */
  readonly urls: readonly string[];
  /** The servers' LAB_ADMIN_TOKEN, to reset the lab. */
  readonly adminToken: string | undefined;
  /** `started`: replicas started for this run; `target`: servers someone else runs. */
  readonly servers: 'started' | 'target';
  readonly concurrency?: number;
  readonly seed: number;
  /** The servers' race window (their LAB_RACE_WINDOW_MS), for the record. */
  readonly raceWindowMs: number;
  readonly onProgress?: (progress: Progress) => void;
  readonly signal?: AbortSignal;
  /** Faults acting on what the run started (its replicas, its services), and when. */
  readonly nemeses?: readonly Nemesis[];
  readonly faultSchedule?: FaultSchedule;
}

/** Sockets per replica: one per client sharing it, as each in-process client has its own connection, capped. */
const connectionsFor = (clients: number, replicas: number): number =>
  Math.min(500, Math.max(1, Math.ceil(clients / replicas)));

/**
 * How many replicas serve the lab: at least one per URL, and as many as any of them says it is one
 * of (`GET /health`, its LAB_REPLICAS), since one URL may balance over several (a Kubernetes Service).
 */
const replicasBehind = async (pools: HttpPools, urls: readonly string[]): Promise<number> => {
  const counts = await Promise.all(
    urls.map(async (url) => {
      const answer = await pools.send(parseBaseUrl(url), { method: 'GET', path: '/health' });
      const of = (answer.body as { replica?: { of?: unknown } } | undefined)?.replica?.of;
      return Number.isSafeInteger(of) ? (of as number) : 1;
    }),
  );
  return Math.max(urls.length, ...counts);
};

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
  // A replica restarted mid-run (a fault killed it) knows no scenario and counted nothing before its
  // restart: what it cannot answer is left out, the others are summed.
  const answers = await Promise.allSettled(
    urls.map((baseUrl) => new HttpLabStore(pools, { baseUrl, lab }).check()),
  );
  const checks = answers.flatMap((answer) => (answer.status === 'fulfilled' ? [answer.value] : []));
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

/**
 * Drives the scenario through the servers at `urls` with the harness's own runner, history and
 * checkers (the ledger read over HTTP), and adds what only a run over HTTP has: ok / fail / info by
 * replica, the servers' contention, and the load-test suite's success criteria.
 */
export const runScenarioOverHttp = async (run: HttpScenarioRun): Promise<RunResult> => {
  const { lab, scenario, urls, adminToken, servers } = run;
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
    const replicas = servers === 'target' ? await replicasBehind(storePools, urls) : urls.length;
    const result = await runScenario({
      lab,
      scenario,
      context,
      ...(run.concurrency === undefined ? {} : { concurrency: run.concurrency }),
      seed: run.seed,
      raceWindowMs: run.raceWindowMs,
      replicas,
      store: httpRunStore(storePools, { urls, lab: lab.name, scenario: scenario.name, adminToken }),
      openClient: async (client) =>
        openHttpSession(pools, {
          baseUrl: replicaOfClient(client, urls),
          lab: lab.name,
          onExchange: ({ opId, serverOpId }) => {
            if (serverOpId !== undefined) serverIds.set(opId, serverOpId);
          },
        }),
      ...(run.onProgress ? { onProgress: run.onProgress } : {}),
      ...(run.signal ? { signal: run.signal } : {}),
      ...(run.nemeses ? { nemeses: run.nemeses } : {}),
      ...(run.faultSchedule ? { faultSchedule: run.faultSchedule } : {}),
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
      http: { servers, replicas, byReplica: countByReplica(history, urls) },
      criteria: judgeCriteria(successCriteriaFor(scenario.name), result),
    };
  } finally {
    await Promise.all([pools.close(), storePools.close()]);
  }
};
