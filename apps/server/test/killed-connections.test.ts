import {
  composeCheckers,
  conservationChecker,
  createRng,
  historyChecker,
  stateChecker,
  withdrawStorm,
} from '@concurrency-lab/harness';
import { HttpLabStore, HttpPools } from '@concurrency-lab/http-client';
import { labNamed } from '@concurrency-lab/labs';
import { resolveLabOptions } from '@concurrency-lab/model';
import { schemaNameFor, terminateBackends } from '@concurrency-lab/postgres';
import { ServiceHub } from '@concurrency-lab/services';
import { afterAll, describe, expect, it } from 'vitest';
import { type ReplicaExit, startReplicaSet } from '../src/replica-set.ts';
import { labNamespace } from '../src/server-config.ts';
import { prepareSharedServices } from '../src/shared-services.ts';
import { driveOverHttp } from './http-drive.ts';
import { ADMIN_TOKEN, testNamespace } from './lab-server-fixture.ts';

// A real replica process (as `lab serve` starts it) whose Postgres backends are terminated while a
// storm is served: the requests that were using them answer 503 (their effect unknown, `info` for
// the client), and the replica keeps answering over new connections. An unhandled 'error' event on
// a pooled client used to end the process here.

const hub = new ServiceHub();
const pools = new HttpPools();
afterAll(async () => {
  await pools.close();
  await hub.close();
});

describe('a replica whose Postgres backends are terminated mid-storm', () => {
  it('answers 503 for the requests on them and goes on serving; its process lives', async () => {
    const lab = labNamed('select-for-update');
    if (!lab) throw new Error('no lab select-for-update');
    const namespace = testNamespace('killed');
    const services = await prepareSharedServices(
      hub,
      [{ lab, options: resolveLabOptions(lab, {}) }],
      namespace,
    );
    const set = await startReplicaSet({
      replicas: 1,
      port: 0,
      env: { ...services, LAB_LABS: lab.name, LAB_ADMIN_TOKEN: ADMIN_TOKEN, LAB_NAMESPACE: namespace },
      // Not restarted: a replica that dies here is the failure this test is about.
      onReplicaExit: 'stop',
      output: () => {},
    });
    let died: ReplicaExit | undefined;
    void set.exited.then((exit) => {
      died = exit;
    });
    try {
      const url = set.urls[0] as string;
      const store = new HttpLabStore(pools, { baseUrl: url, lab: lab.name, adminToken: ADMIN_TOKEN });
      await store.reset('withdraw-storm');
      const schema = schemaNameFor(labNamespace(namespace, lab.name));
      const postgres = services.LAB_DATABASE_URL as string;
      const kills: Array<Promise<number>> = [];
      const at = [600, 1200, 1800];
      const scenario = withdrawStorm({ balance: 10_000, count: 3_000 });
      const ops = scenario.ops(createRng(1));
      const { history } = await driveOverHttp(pools, url, lab.name, ops, 100, (done) => {
        if (done >= (at[0] ?? Number.POSITIVE_INFINITY)) {
          at.shift();
          kills.push(terminateBackends(postgres, schema));
        }
      });
      const killed = (await Promise.all(kills)).reduce((sum, n) => sum + n, 0);
      expect(killed).toBeGreaterThan(0);
      expect(died).toBeUndefined();
      expect(history).toHaveLength(3_000);
      const unknown = history.filter((op) => op.outcome?.type === 'info');
      expect(unknown.length).toBeGreaterThan(0);
      for (const op of unknown) expect(op.outcome?.type === 'info' && op.outcome.error).toMatch(/HTTP 503/);
      // After the last kill, requests are served over new connections again.
      const tail = history.slice(2_700);
      expect(tail.filter((op) => op.outcome?.type === 'ok').length).toBeGreaterThan(tail.length / 2);
      // Nothing violated: no balance reported twice, and the final balance is one that some
      // resolution of the unknown withdrawals explains (a third of the storm: not its exact outcome).
      const verdict = composeCheckers(stateChecker, conservationChecker, historyChecker).check({
        initial: scenario.initialState,
        final: await store.readState(),
        history,
        ledger: [],
        expected: {},
      });
      expect(verdict.violations).toEqual([]);
      expect(verdict.valid).toBe('unknown');
      expect((await fetch(`${url}/health`)).status).toBe(200);
    } finally {
      await set.stop();
    }
  });
});
