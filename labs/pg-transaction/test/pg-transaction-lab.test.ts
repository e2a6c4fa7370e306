import { flashSale, SCENARIOS, withdrawStorm } from '@concurrency-lab/harness';
import { expectationsFor, LabOptionError, resolveLabOptions, SCENARIO_NAMES } from '@concurrency-lab/model';
import { runLab, ServiceHub } from '@concurrency-lab/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgTransactionLab } from '../src/index.ts';

const options = (given: Record<string, string | number> = {}) => resolveLabOptions(pgTransactionLab, given);
const safetyKinds = ['lost-update', 'real-time-order', 'negative-balance', 'negative-stock', 'oversold'];
const kindsOf = (violations: readonly { kind: string }[]) => violations.map((v) => v.kind);

describe('pg-transaction options', () => {
  it('defaults to read committed, which is expected unsafe; repeatable read only on write-skew; serializable never', () => {
    expect(options().isolation).toBe('read-committed');
    expect(new Set(Object.values(expectationsFor(pgTransactionLab, options())))).toEqual(new Set(['unsafe']));
    const repeatable = expectationsFor(pgTransactionLab, options({ isolation: 'repeatable-read' }));
    const { 'write-skew': skew, ...others } = repeatable;
    expect(skew).toBe('unsafe');
    expect(new Set(Object.values(others))).toEqual(new Set(['safe']));
    const serializable = expectationsFor(pgTransactionLab, options({ isolation: 'serializable' }));
    expect(new Set(Object.values(serializable))).toEqual(new Set(['safe']));
    for (const table of [repeatable, serializable])
      expect(Object.keys(table)).toHaveLength(SCENARIO_NAMES.length);
  });

  it('rejects an unknown isolation level and a negative retry limit, naming what is accepted', () => {
    expect(() => options({ isolation: 'snapshot' })).toThrow(LabOptionError);
    expect(() => options({ isolation: 'snapshot' })).toThrow(/read-committed, repeatable-read, serializable/);
    expect(() => options({ 'retry-limit': -1 })).toThrow(/--retry-limit must be an integer from 0/);
  });
});

describe('pg-transaction on Postgres', () => {
  let hub: ServiceHub;
  beforeAll(() => {
    hub = new ServiceHub();
  });
  afterAll(() => hub.close());

  it('read committed loses updates: two withdrawals report the same balance', async () => {
    const result = await runLab(hub, {
      lab: pgTransactionLab,
      scenario: withdrawStorm({ count: 400, balance: 10_000, concurrency: 20 }),
      options: options(),
      raceWindowMs: 5,
    });
    expect(result.verdict.valid).toBe(false);
    expect(kindsOf(result.verdict.violations)).toContain('lost-update');
    expect(result.matchesExpectation).toBe(true);
    // Read committed never raises 40001 here: nothing is detected, so nothing is retried.
    expect(result.contention.conflicts).toBe(0);
  });

  // The full storm is the conformance suite's; this asserts the retries, on a tenth of it.
  it('serializable on a storm at concurrency 100: conflicts are detected and retried to the exact outcome', async () => {
    const result = await runLab(hub, {
      lab: pgTransactionLab,
      scenario: SCENARIOS['withdraw-storm'].scaled(1000),
      options: options({ isolation: 'serializable' }),
    });
    expect(result.verdict.violations).toEqual([]);
    expect(result.verdict.valid).toBe(true);
    expect(result.counts.ok).toBe(500);
    expect(result.counts.fail).toEqual({ insufficient_funds: 500 });
    expect(result.contention.conflicts).toBeGreaterThan(0);
    expect(result.contention.retries).toBeGreaterThan(0);
    expect(result.contention.attemptsPerOk).toBeGreaterThan(1);
  });

  it('repeatable read keeps the flash sale exact under a widened race window', async () => {
    const result = await runLab(hub, {
      lab: pgTransactionLab,
      scenario: flashSale(),
      options: options({ isolation: 'repeatable-read' }),
      raceWindowMs: 2,
    });
    expect(result.verdict.violations).toEqual([]);
    expect(result.counts.ok).toBe(100);
    expect(result.contention.conflicts).toBeGreaterThan(0);
  });

  it('with no retries allowed, conflicts fail as conflict_retries_exhausted and change nothing', async () => {
    const result = await runLab(hub, {
      lab: pgTransactionLab,
      scenario: withdrawStorm({ count: 1000, balance: 10_000, concurrency: 50 }),
      options: options({ isolation: 'repeatable-read', 'retry-limit': 0 }),
      raceWindowMs: 2,
    });
    const exhausted = result.counts.fail.conflict_retries_exhausted ?? 0;
    expect(exhausted).toBeGreaterThan(0);
    expect(result.contention.retries).toBe(0);
    expect(result.contention.conflicts).toBe(exhausted);
    expect(result.counts.ok + exhausted + (result.counts.fail.insufficient_funds ?? 0)).toBe(1000);
    // Only the exact-count expectation can be missed; every safety and ledger invariant holds.
    const kinds = kindsOf(result.verdict.violations);
    expect(kinds.every((kind) => kind === 'unexpected-outcome' || kind === 'unexpected-final-state')).toBe(
      true,
    );
    expect(kinds.some((kind) => safetyKinds.includes(kind))).toBe(false);
    expect(result.finalState.accounts[0]?.balance).toBe(10_000 - 2 * result.counts.ok);
  });
});
