import {
  type OpRequest,
  type RunResult,
  rendezvous,
  runScenario,
  SCENARIOS,
  type Scenario,
} from '@concurrency-lab/harness';
import { resolveLabOptions } from '@concurrency-lab/model';
import { runLab, ServiceHub } from '@concurrency-lab/services';
import { afterAll, describe, expect, it } from 'vitest';
import { selectForUpdateLab } from '../src/index.ts';

const hub = new ServiceHub();
afterAll(() => hub.close());

const options = (lockOrder: 'id' | 'request') =>
  resolveLabOptions(selectForUpdateLab, { 'lock-order': lockOrder });

/** Two clients, one operation each, on two accounts (or items) in opposite orders. */
const opposite = (first: OpRequest, second: OpRequest): Scenario => ({
  name: first.kind === 'basket' ? 'basket' : 'transfer',
  title: 'two operations on the same two rows, named in opposite orders',
  description: 'the smallest deadlock: each holds the row the other asks for next',
  initialState: {
    accounts: [
      { id: 1, balance: 100, version: 0 },
      { id: 2, balance: 100, version: 0 },
    ],
    items: [
      { sku: 'sku-a', available: 10, reserved: 0, version: 0 },
      { sku: 'sku-b', available: 10, reserved: 0, version: 0 },
    ],
  },
  defaultConcurrency: 2,
  ops: () => [first, second],
  expected: { ok: 2 },
});

const TRANSFERS = opposite(
  { kind: 'transfer', from: 1, to: 2, amount: 10 },
  { kind: 'transfer', from: 2, to: 1, amount: 20 },
);
const BASKETS = opposite(
  {
    kind: 'basket',
    lines: [
      { sku: 'sku-a', qty: 1 },
      { sku: 'sku-b', qty: 2 },
    ],
  },
  {
    kind: 'basket',
    lines: [
      { sku: 'sku-b', qty: 3 },
      { sku: 'sku-a', qty: 4 },
    ],
  },
);

/**
 * The overlap is made certain, not likely: both clients start at once, each locks the first row it
 * names, and the rendezvous holds each in its race window (right after that first lock) until the
 * other has taken its own. Only then does either ask for its second row, which the other holds. In
 * id order the second client queues on the first row instead and never reaches the rendezvous, so
 * the first one goes on alone after `timeoutMs`.
 */
const runOpposite = async (scenario: Scenario, lockOrder: 'id' | 'request', timeoutMs: number) => {
  const prepared = await hub.prepare(selectForUpdateLab, { options: options(lockOrder) });
  try {
    return await runScenario({
      lab: selectForUpdateLab,
      scenario,
      context: prepared.context,
      concurrency: 2,
      nemeses: [rendezvous({ parties: 2, timeoutMs })],
    });
  } finally {
    await prepared.release();
  }
};

const describeRun = (r: RunResult) =>
  `${JSON.stringify(r.options)}: ${JSON.stringify(r.history.map((op) => ({ outcome: op.outcome, deadlocks: op.deadlocks, retries: op.retries })))}`;

describe.each([
  ['transfers', TRANSFERS],
  ['baskets', BASKETS],
] as const)('select-for-update with two opposite %s', (_name, scenario) => {
  it('--lock-order request: Postgres detects the deadlock (40P01), aborts one, and its retry succeeds', async () => {
    // Far above the few ms both need to take their first lock; never reached in request order.
    const result = await runOpposite(scenario, 'request', 30_000);
    expect(result.options['lock-order']).toBe('request');
    expect(result.contention.deadlocks, describeRun(result)).toBeGreaterThanOrEqual(1);
    expect(result.contention.retries).toBeGreaterThanOrEqual(result.contention.deadlocks ?? 0);
    const victim = result.history.find((op) => op.deadlocks > 0);
    expect(victim?.retries, describeRun(result)).toBeGreaterThanOrEqual(1);
    // Retried to success: both operations took effect, exactly once, and every invariant holds.
    expect(result.counts).toMatchObject({ ok: 2, info: 0 });
    expect(result.verdict, describeRun(result)).toMatchObject({ valid: true, violations: [] });
  });

  it('--lock-order id (the default): the second waits for the first row, and there is no deadlock', async () => {
    const result = await runOpposite(scenario, 'id', 300);
    expect(result.options['lock-order']).toBe('id');
    expect(result.contention.deadlocks, describeRun(result)).toBe(0);
    expect(result.contention.retries).toBe(0);
    expect(result.counts).toMatchObject({ ok: 2, info: 0 });
    expect(result.verdict, describeRun(result)).toMatchObject({ valid: true, violations: [] });
  });
});

describe('select-for-update on the transfer and basket scenarios in id order', () => {
  it.each(['transfer', 'basket'] as const)(
    'never deadlocks on %s, with the race window widened',
    async (name) => {
      const result = await runLab(hub, {
        lab: selectForUpdateLab,
        scenario: SCENARIOS[name].sizedFor('safe'),
        options: options('id'),
        raceWindowMs: 2,
      });
      expect(result.contention.deadlocks).toBe(0);
      expect(result.verdict).toMatchObject({ valid: true, violations: [] });
    },
  );
});
