import type { LedgerEntry } from '@concurrency-lab/model';
import { fail, info, ok } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import {
  allCheckers,
  checkWithLedger,
  conservationChecker,
  outcomeChecker,
  resolveUnknowns,
  withdrawStorm,
} from '../src/index.ts';
import { account, historyOf, ledgerFor, withdraw } from './history-builder.ts';

const transfer = (from: number, to: number, amount: number) =>
  ({ kind: 'transfer', from, to, amount }) as const;

/** The row a withdrawal of `amount` that left `after` writes, for the op with `opId`. */
const rowOf = (opId: string, amount: number, after: number): LedgerEntry => ({
  opId,
  lab: 'test',
  subject: 'account:1',
  kind: 'withdraw',
  delta: -amount,
  resultingValue: after,
  at: new Date(0),
});

describe('unknown outcomes resolved from the ledger', () => {
  // Balance 10: an ok withdrawal of 4 (→ 6), one that timed out after it took effect (→ 2), and
  // one that timed out before it reached the database.
  const fresh = () =>
    historyOf([withdraw(4), ok(6)], [withdraw(4), info('timeout')], [withdraw(1), info('reset')]);
  const ledger = [...ledgerFor(fresh()), rowOf('t-1', 4, 2)];

  it('marks each info op applied or not applied by its op id, and keeps it info', () => {
    const history = fresh();
    expect(resolveUnknowns(history, ledger)).toEqual({
      unknown: 2,
      applied: 1,
      notApplied: 1,
      unresolved: 0,
    });
    expect(history.map((op) => [op.outcome?.type, op.resolution])).toEqual([
      ['ok', undefined],
      ['info', 'applied'],
      ['info', 'not-applied'],
    ]);
  });

  it('turns the conservation interval into one exact value: 2 is right, 1 (the cut-off one applied too) is not', () => {
    const history = fresh();
    resolveUnknowns(history, ledger);
    const input = { initial: account(10), history, ledger, expected: {} };
    expect(conservationChecker.check({ ...input, final: account(2) })).toEqual({
      valid: true,
      violations: [],
    });
    // Unresolved, 1 would be inside the interval 1..6 and only undecided.
    expect(conservationChecker.check({ ...input, history: fresh(), final: account(1) }).valid).toBe(
      'unknown',
    );
    expect(conservationChecker.check({ ...input, final: account(1) }).violations.map((v) => v.kind)).toEqual([
      'money-destroyed',
    ]);
  });

  it('gives the combined checkers an exact verdict instead of unknown', () => {
    const history = fresh();
    resolveUnknowns(history, ledger);
    expect(
      allCheckers.check({ initial: account(10), final: account(2), history, ledger, expected: {} }),
    ).toMatchObject({ valid: true, violations: [] });
  });

  it('counts an applied op as ok and lets a count fall short only by the ops that never took effect', () => {
    const history = fresh();
    resolveUnknowns(history, ledger);
    const input = { initial: account(10), final: account(2), history, ledger };
    expect(outcomeChecker.check({ ...input, expected: { ok: 2 } }).valid).toBe(true);
    // The cut-off one might have been the third success.
    expect(outcomeChecker.check({ ...input, expected: { ok: 3 } }).valid).toBe(true);
    expect(outcomeChecker.check({ ...input, expected: { ok: 1 } }).violations.map((v) => v.kind)).toEqual([
      'unexpected-outcome',
    ]);
    expect(outcomeChecker.check({ ...input, expected: { ok: 4 } }).violations[0]?.example).toBe(
      'expected 4 ok, got 2 (1 undecided without effect)',
    );
  });

  it('leaves an op with only some of its rows unresolved, for the ledger checker to report', () => {
    const history = historyOf([transfer(1, 2, 30), info('timeout')]);
    const partial: LedgerEntry[] = [
      {
        opId: 't-0',
        lab: 'test',
        subject: 'account:1',
        kind: 'transfer',
        delta: -30,
        resultingValue: 70,
        at: new Date(0),
      },
    ];
    expect(resolveUnknowns(history, partial)).toEqual({
      unknown: 1,
      applied: 0,
      notApplied: 0,
      unresolved: 1,
    });
    expect(history[0]?.resolution).toBeUndefined();
  });

  it('is what a replica’s check does with its own info ops too', () => {
    const scenario = withdrawStorm({ balance: 10, count: 3 });
    const history = historyOf(
      [withdraw(4), ok(6)],
      [withdraw(4), info('timeout')],
      [withdraw(4), fail('insufficient_funds')],
    );
    const rows = [...ledgerFor(history), rowOf('t-1', 4, 2)];
    const result = checkWithLedger({
      scenario,
      final: account(2),
      ledger: rows,
      local: history,
      replicas: 1,
    });
    expect(result.unknownOutcomes).toEqual({ unknown: 1, applied: 1, notApplied: 0, unresolved: 0 });
    expect(result.verdict.byChecker.conservation?.valid).toBe(true);
  });

  it('lets a count fall short by failures that decided nothing (a lease lost: stale_token), not by business refusals', () => {
    const history = historyOf(
      [withdraw(4), ok(6)],
      [withdraw(4), fail('stale_token')],
      [withdraw(4), fail('insufficient_funds')],
    );
    const input = { initial: account(10), final: account(6), history, ledger: ledgerFor(history) };
    expect(
      outcomeChecker.check({ ...input, expected: { ok: 2, fail: { insufficient_funds: 1 } } }).valid,
    ).toBe(true);
    // insufficient_funds is a decision: 3 ok can't be reached by the 1 undecided one.
    expect(outcomeChecker.check({ ...input, expected: { ok: 3 } }).violations.map((v) => v.kind)).toEqual([
      'unexpected-outcome',
    ]);
  });
});
