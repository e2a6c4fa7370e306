import { createRng, withdrawStorm } from '@concurrency-lab/harness';
import { HttpLabStore, HttpPools } from '@concurrency-lab/http-client';
import { labNamed } from '@concurrency-lab/labs';
import { resolveLabOptions } from '@concurrency-lab/model';
import { ServiceHub } from '@concurrency-lab/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplicaSet } from '../src/replica-set.ts';
import { prepareSharedServices } from '../src/shared-services.ts';
import { driveOverHttp } from './http-drive.ts';
import { ADMIN_TOKEN, testNamespace } from './lab-server-fixture.ts';

// The Postgres connection pool of a replica process: a request that finds no free connection in
// time is told so (503 pool_exhausted, naming the settings), and the defaults are sized so that the
// storm the scenarios are about does not run into it.

const LAB = 'select-for-update';
const hub = new ServiceHub();
let services: Record<string, string>;
let namespace: string;

beforeAll(async () => {
  const lab = labNamed(LAB);
  if (!lab) throw new Error(`no lab ${LAB}`);
  namespace = testNamespace('pool');
  services = await prepareSharedServices(hub, [{ lab, options: resolveLabOptions(lab, {}) }], namespace);
});
afterAll(() => hub.close());

/** One replica serving the lab with `env` on top; stopped by the returned function. */
const replica = async (env: Readonly<Record<string, string>> = {}) => {
  const set = await startReplicaSet({
    replicas: 1,
    port: 0,
    env: { ...services, LAB_LABS: LAB, LAB_ADMIN_TOKEN: ADMIN_TOKEN, LAB_NAMESPACE: namespace, ...env },
    output: () => {},
  });
  return { url: set.urls[0] as string, stop: () => set.stop() };
};

describe('a replica whose pool has no connection free in time', () => {
  it('answers 503 pool_exhausted naming LAB_PG_POOL_SIZE and LAB_PG_POOL_WAIT_MS, not "Postgres is unavailable"', async () => {
    // One connection, held for a second by each withdrawal (its race window is inside the transaction).
    const served = await replica({
      LAB_PG_POOL_SIZE: '1',
      LAB_PG_POOL_WAIT_MS: '200',
      LAB_RACE_WINDOW_MS: '1000',
    });
    const pools = new HttpPools();
    try {
      await new HttpLabStore(pools, { baseUrl: served.url, lab: LAB, adminToken: ADMIN_TOKEN }).reset(
        'withdraw-storm',
      );
      const answers = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const response = await fetch(`${served.url}/labs/${LAB}/accounts/1/withdraw`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ amount: 2 }),
          });
          return { status: response.status, body: (await response.json()) as Record<string, string> };
        }),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      const refused = answers.filter((a) => a.status === 503);
      expect(refused).toHaveLength(3);
      for (const { body } of refused) {
        expect(body.error).toBe('pool_exhausted');
        expect(body.message).toMatch(/no Postgres connection came free within 200 ms/);
        expect(body.message).toMatch(/LAB_PG_POOL_SIZE/);
        expect(body.message).toMatch(/LAB_PG_POOL_WAIT_MS/);
        expect(body.message).not.toMatch(/unavailable/);
      }
    } finally {
      await pools.close();
      await served.stop();
    }
  });

  it('refuses to start with a pool setting it does not accept, naming the variable', async () => {
    await expect(replica({ LAB_PG_POOL_SIZE: '0' })).rejects.toThrow(
      /LAB_PG_POOL_SIZE must be an integer from 1 to 1000; got "0"/,
    );
  });
});

describe('the default pool under the full storm over HTTP', () => {
  it('serves 10 000 withdrawals sent at once to select-for-update: exactly 5000 ok and 5000 insufficient_funds', async () => {
    const served = await replica();
    // Every request in flight at once: the last ones wait for a connection for the whole storm. Ten
    // thousand connections at once overflow the listen queue for a moment (their SYNs are sent again
    // after 1 s, 3 s…): the client waits for them longer than its default, as it is not under test.
    const pools = new HttpPools({ connections: 10_000, connectTimeoutMs: 30_000 });
    try {
      const store = new HttpLabStore(pools, { baseUrl: served.url, lab: LAB, adminToken: ADMIN_TOKEN });
      await store.reset('withdraw-storm');
      const { history, exchanges } = await driveOverHttp(
        pools,
        served.url,
        LAB,
        withdrawStorm().ops(createRng(1)),
        10_000,
      );
      const statuses = new Map<number | undefined, number>();
      for (const { status } of exchanges) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const unanswered = history.find((op) => op.outcome?.type === 'info')?.outcome;
      expect(Object.fromEntries(statuses), JSON.stringify(unanswered)).toEqual({ 200: 5000, 409: 5000 });
      const reasons = history.map((op) =>
        op.outcome?.type === 'fail' ? op.outcome.reason : op.outcome?.type,
      );
      expect(reasons.filter((r) => r === 'insufficient_funds')).toHaveLength(5000);
      expect(await store.readAccount(1)).toMatchObject({ balance: 0 });
      const check = await store.check();
      expect(check.violations).toEqual([]);
      expect(check.valid).toBe(true);
    } finally {
      await pools.close();
      await served.stop();
    }
  });
});
