import { mixedScenario, SCENARIOS, withdrawStorm } from '@concurrency-lab/harness';
import { resolveLabOptions } from '@concurrency-lab/model';
import { runLab, ServiceHub } from '@concurrency-lab/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimisticLab } from '../src/index.ts';

const options = (given: Record<string, string | number> = {}) => resolveLabOptions(optimisticLab, given);
const kindsOf = (violations: readonly { kind: string }[]) => violations.map((v) => v.kind);

describe('optimistic on Postgres', () => {
  let hub: ServiceHub;
  beforeAll(() => {
    hub = new ServiceHub();
  });
  afterAll(() => hub.close());

  // The full storm is the conformance suite's; this asserts what it does not, on a tenth of it.
  it('with its default options retries every conflict of a storm at concurrency 100, and gives none up', async () => {
    const result = await runLab(hub, {
      lab: optimisticLab,
      scenario: SCENARIOS['withdraw-storm'].scaled(1000),
      // No options at all: the lab must fill in its own defaults.
    });
    expect(result.concurrency).toBe(100);
    expect(result.verdict.violations).toEqual([]);
    expect(result.counts.ok).toBe(500);
    expect(result.counts.fail).toEqual({ insufficient_funds: 500 });
    expect(result.finalState.accounts[0]).toMatchObject({ balance: 0, version: 500 });
    // Every conflict was retried (none gave up), and it showed in attempts per success.
    expect(result.contention.conflicts).toBeGreaterThan(0);
    expect(result.contention.retries).toBe(result.contention.conflicts);
    expect(result.contention.attemptsPerOk).toBeGreaterThan(1);
  });

  it('with retry limit 1 under contention, gives up as conflict_retries_exhausted, apart from insufficient_funds', async () => {
    const result = await runLab(hub, {
      lab: optimisticLab,
      scenario: withdrawStorm({ count: 2000, balance: 10_000, concurrency: 100 }),
      options: options({ 'retry-limit': 1, 'backoff-base-ms': 1, 'backoff-cap-ms': 1 }),
      raceWindowMs: 2,
    });
    const exhausted = result.counts.fail.conflict_retries_exhausted ?? 0;
    expect(exhausted).toBeGreaterThan(0);
    // Each op tried at most twice: one conflict on the first try, one on the retry that gave up.
    expect(result.history.every((op) => op.retries <= 1 && op.conflicts <= 2)).toBe(true);
    expect(result.counts.ok + exhausted + (result.counts.fail.insufficient_funds ?? 0)).toBe(2000);
    // What gave up changed nothing: no lost update, the ledger and the balance agree with the oks.
    const kinds = kindsOf(result.verdict.violations);
    expect(kinds.every((kind) => kind === 'unexpected-outcome' || kind === 'unexpected-final-state')).toBe(
      true,
    );
    expect(result.finalState.accounts[0]?.balance).toBe(10_000 - 2 * result.counts.ok);
    expect(result.finalState.accounts[0]?.version).toBe(result.counts.ok);
  });

  it('keeps every invariant on mixed deposits and withdrawals even when conflicts give up', async () => {
    const result = await runLab(hub, {
      lab: optimisticLab,
      scenario: mixedScenario({ count: 1000, concurrency: 50 }),
      options: options({ 'retry-limit': 1, 'backoff-base-ms': 1, 'backoff-cap-ms': 2 }),
      raceWindowMs: 1,
    });
    expect(result.counts.fail.conflict_retries_exhausted ?? 0).toBeGreaterThan(0);
    expect(result.verdict.violations).toEqual([]);
    expect(result.verdict.valid).toBe(true);
  });
});
