import { labNamed } from '@concurrency-lab/labs';
import { resolveLabOptions } from '@concurrency-lab/model';
import { ServiceHub } from '@concurrency-lab/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReplicaSet, startReplicaSet } from '../src/replica-set.ts';
import { prepareSharedServices } from '../src/shared-services.ts';
import { ADMIN_TOKEN, testNamespace } from './lab-server-fixture.ts';

// The replicas demonstration: three separate server processes share one Postgres (and one set of
// Redis nodes); 40 orders for 10 units are spread round-robin over them. The in-process mutex
// protects nothing across processes, so the mutex lab oversells; the strategies whose protection
// lives in the shared store (a row lock, one conditional statement, a Redis lock, a Redlock) sell
// exactly 10. The race window (LAB_RACE_WINDOW_MS) holds each read-modify-write open for 25 ms, so
// that the replicas' critical sections overlap on every run, not only on a lucky one.

const REPLICAS = 3;
const SAFE = ['select-for-update', 'update-returning', 'redis-lock', 'redlock'];
// redis-lock and redlock join as soon as they are registered in the labs index.
const served = ['mutex', ...SAFE].filter((name) => labNamed(name) !== undefined);

let hub: ServiceHub;
let set: ReplicaSet;

interface CheckBody {
  valid: boolean | 'unknown';
  violations: Array<{ kind: string; count: number }>;
  expectation: string;
  matchesExpectation: boolean;
  coverage: { localOps: number; ledgerRows: number; opsFromLedger: number; failCountsChecked: boolean };
  finalState: { items: Array<{ sku: string; available: number; reserved: number }> };
}

/** Resets through every replica, sends 40 orders round-robin at once, and checks on the first replica. */
const orderRound = async (lab: string) => {
  for (const url of set.urls) {
    const reset = await fetch(`${url}/admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ scenario: 'replicas', lab }),
    });
    expect(reset.status, await reset.clone().text()).toBe(200);
  }
  const statuses = await Promise.all(
    Array.from({ length: 40 }, async (_, i) => {
      const response = await fetch(`${set.urls[i % REPLICAS]}/labs/${lab}/items/sku-flash/reserve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ qty: 1 }),
      });
      await response.arrayBuffer();
      return response.status;
    }),
  );
  const check = (await (
    await fetch(`${set.urls[0]}/labs/${lab}/check?scenario=replicas`)
  ).json()) as CheckBody;
  return {
    ok: statuses.filter((s) => s === 200).length,
    refused: statuses.filter((s) => s === 409).length,
    statuses,
    check,
  };
};

beforeAll(async () => {
  hub = new ServiceHub();
  const namespace = testNamespace('replicas');
  const labs = served.map((name) => {
    const lab = labNamed(name);
    if (!lab) throw new Error(`unknown lab ${name}`);
    return { lab, options: resolveLabOptions(lab, {}) };
  });
  const services = await prepareSharedServices(hub, labs, namespace);
  set = await startReplicaSet({
    replicas: REPLICAS,
    port: 0,
    env: {
      ...services,
      LAB_LABS: served.join(','),
      LAB_ADMIN_TOKEN: ADMIN_TOKEN,
      LAB_NAMESPACE: namespace,
      LAB_RACE_WINDOW_MS: '25',
    },
    output: () => {},
  });
});

afterAll(async () => {
  await set?.stop();
  await hub?.close();
});

describe(`${REPLICAS} replicas sharing one store`, () => {
  it('are separate processes on consecutive ports', async () => {
    const ports = set.urls.map((url) => Number(new URL(url).port));
    expect(ports).toEqual([ports[0], (ports[0] ?? 0) + 1, (ports[0] ?? 0) + 2]);
    const replicas = await Promise.all(
      set.urls.map(
        async (url) =>
          (
            (await (await fetch(`${url}/health`)).json()) as {
              replica: { id: string; index: number; of: number };
            }
          ).replica,
      ),
    );
    expect(replicas.map((r) => r.index)).toEqual([0, 1, 2]);
    expect(new Set(replicas.map((r) => r.id)).size).toBe(REPLICAS);
    expect(replicas.every((r) => r.of === REPLICAS)).toBe(true);
  });

  it('show the mutex lab unsafe: each process has its own mutex, so the stock is oversold', async () => {
    const { ok, check } = await orderRound('mutex');
    expect(ok).toBeGreaterThan(10);
    expect(check.valid).toBe(false);
    expect(check.expectation).toBe('unsafe');
    expect(check.matchesExpectation).toBe(true);
    const kinds = check.violations.map((v) => v.kind);
    expect(kinds).toEqual(expect.arrayContaining(['oversold', 'lost-update']));
    // The first replica saw only its own third of the orders; the ledger supplied the rest.
    expect(check.coverage.opsFromLedger).toBeGreaterThan(0);
    expect(check.coverage.failCountsChecked).toBe(false);
  });

  for (const lab of served.filter((name) => SAFE.includes(name))) {
    it(`keep ${lab} safe: exactly 10 sold and 30 refused, every invariant kept`, async () => {
      const { ok, refused, statuses, check } = await orderRound(lab);
      expect({ ok, refused }, JSON.stringify(statuses)).toEqual({ ok: 10, refused: 30 });
      expect(check.violations).toEqual([]);
      expect(check.valid).toBe(true);
      expect(check.matchesExpectation).toBe(true);
      expect(check.coverage.ledgerRows).toBe(10);
      expect(check.finalState.items).toEqual([
        expect.objectContaining({ sku: 'sku-flash', available: 0, reserved: 10 }),
      ]);
    });
  }
});

describe('a replica process', () => {
  it('stops gracefully on SIGTERM: an in-flight request finishes before it exits', async () => {
    const namespace = testNamespace('graceful');
    const lab = labNamed('naive');
    if (!lab) throw new Error('naive is not registered');
    const services = await prepareSharedServices(
      hub,
      [{ lab, options: resolveLabOptions(lab, {}) }],
      namespace,
    );
    // A one-second race window keeps the request in flight long enough to signal the process.
    const single = await startReplicaSet({
      replicas: 1,
      port: 0,
      env: {
        ...services,
        LAB_LABS: 'naive',
        LAB_ADMIN_TOKEN: ADMIN_TOKEN,
        LAB_NAMESPACE: namespace,
        LAB_RACE_WINDOW_MS: '1000',
      },
      output: () => {},
    });
    const url = single.urls[0] as string;
    const reset = await fetch(`${url}/admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ scenario: 'withdraw-storm' }),
    });
    expect(reset.status).toBe(200);
    const inFlight = fetch(`${url}/labs/naive/accounts/1/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 2 }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await single.stop();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ balance: 9998 });
    // It exited on its own soon after answering: not after a keep-alive timeout (4-5 s), and not
    // killed by stop() after its 15 s grace.
    expect(performance.now() - started).toBeLessThan(3_500);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
