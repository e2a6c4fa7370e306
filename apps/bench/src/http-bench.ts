import { randomBytes } from 'node:crypto';
import { scenarioNamed } from '@concurrency-lab/harness';
import { runScenarioOverHttp } from '@concurrency-lab/http-client';
import type { Lab } from '@concurrency-lab/model';
import { resolveLabOptions } from '@concurrency-lab/model';
import { labNamespace, startLabReplicas } from '@concurrency-lab/server';
import { runLab, type ServiceHub } from '@concurrency-lab/services';

/** What one lab did in process and over HTTP through one replica, on the same scenario in the same run. */
export interface HttpBenchRow {
  readonly lab: string;
  readonly scenario: string;
  readonly inProcessOps: number;
  readonly httpOps: number;
  readonly ratio: number;
}

// Both sides keep getting faster for the first few runs (the JIT, in two processes over HTTP): in a
// probe the HTTP side rose from 2 045 to 3 069 ops/s over its first four runs, then held within 5 %.
const WARM_UPS = 3;
const REPEATS = 3;

/**
 * The full withdraw-storm in process and through one replica process over loopback HTTP (the
 * harness's own HTTP client, as `lab run --http`): the best of each side's runs once both are warm,
 * the two sides taking turns. Both get the same Postgres pool size; the replica inherits this
 * process's environment.
 */
export const benchOverHttp = async (hub: ServiceHub, lab: Lab): Promise<HttpBenchRow> => {
  process.env.LAB_PG_POOL_SIZE = '20';
  const scenario = scenarioNamed('withdraw-storm');
  const options = resolveLabOptions(lab, {});
  const inProcess = async () => (await runLab(hub, { lab, scenario, options })).throughputOpsPerSec;
  const namespace = `bench_${randomBytes(4).toString('hex')}`;
  const adminToken = randomBytes(16).toString('hex');
  const set = await startLabReplicas(hub, {
    lab,
    options,
    replicas: 1,
    raceWindowMs: 0,
    adminToken,
    namespace,
  });
  try {
    const overHttp = async () =>
      (
        await runScenarioOverHttp({
          lab,
          scenario,
          options,
          urls: set.urls,
          adminToken,
          servers: 'started',
          seed: 1,
          raceWindowMs: 0,
        })
      ).throughputOpsPerSec;
    for (let i = 0; i < WARM_UPS; i++) {
      await inProcess();
      await overHttp();
    }
    let inProcessOps = 0;
    let httpOps = 0;
    for (let i = 0; i < REPEATS; i++) {
      inProcessOps = Math.max(inProcessOps, await inProcess());
      httpOps = Math.max(httpOps, await overHttp());
    }
    process.stderr.write(
      `  ${lab.name} ${scenario.name}: ${inProcessOps.toFixed(0)} ops/s in process, ${httpOps.toFixed(0)} over HTTP\n`,
    );
    return { lab: lab.name, scenario: scenario.name, inProcessOps, httpOps, ratio: httpOps / inProcessOps };
  } finally {
    await set.stop();
    await (await hub.prepare(lab, { options, namespace: labNamespace(namespace, lab.name) })).release();
  }
};
