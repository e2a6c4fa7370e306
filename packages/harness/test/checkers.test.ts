import { fail, info, ok } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import {
  allCheckers,
  type Checker,
  conservationChecker,
  historyChecker,
  ledgerChecker,
  outcomeChecker,
  type RunInput,
  stateChecker,
} from '../src/index.ts';
import { account, deposit, historyOf, item, ledgerFor, reserve, withdraw } from './history-builder.ts';

const kinds = (input: RunInput, checker: Checker = allCheckers) =>
  checker
    .check(input)
    .violations.map((v) => v.kind)
    .sort();

describe('a correct history', () => {
  // Balance 10, three withdrawals of 4: two succeed in order, the third finds 2 left.
  const history = historyOf(
    [withdraw(4), ok(6)],
    [withdraw(4), ok(2)],
    [withdraw(4), fail('insufficient_funds')],
  );
  const input: RunInput = {
    initial: account(10),
    final: account(2),
    history,
    ledger: ledgerFor(history),
    expected: { ok: 2, fail: { insufficient_funds: 1 }, balances: { 1: 2 } },
  };

  it('is valid for every checker', () => {
    expect(allCheckers.check(input)).toMatchObject({ valid: true, violations: [] });
  });
});

describe('lost updates', () => {
  // Two withdrawals read 10 at the same time and both write 6: the bank paid 8 and debited 4.
  const history = historyOf([withdraw(4), ok(6), 0, 10], [withdraw(4), ok(6), 1, 11]);
  const input: RunInput = {
    initial: account(10),
    final: account(6),
    history,
    ledger: ledgerFor(history),
    expected: {},
  };

  it('shows as two ok withdrawals reporting the same balance, with both ops in the example', () => {
    const verdict = historyChecker.check(input);
    expect(verdict.valid).toBe(false);
    expect(verdict.violations).toHaveLength(1);
    const [violation] = verdict.violations;
    expect(violation?.kind).toBe('lost-update');
    expect(violation?.count).toBe(1);
    expect(violation?.example).toContain('#0 withdraw(1, 4)');
    expect(violation?.example).toContain('#1 withdraw(1, 4)');
  });

  it('shows as money created: the final balance is above what the ok withdrawals leave', () => {
    const verdict = conservationChecker.check(input);
    // One account, with its magnitude apart: the money that appeared.
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        kind: 'money-created',
        count: 1,
        counts: 'accounts',
        magnitude: { amount: 4, unit: 'money' },
      }),
    ]);
  });
});

describe('real-time order', () => {
  it('flags an op that reports a higher balance than one that completed before it began', () => {
    // #0 completes at 5 reporting 6; #1 begins at 10 and reports 8: it read a value already gone.
    const history = historyOf([withdraw(2), ok(6), 0, 5], [withdraw(2), ok(8), 10, 15]);
    const verdict = historyChecker.check({
      initial: account(10),
      final: account(6),
      history,
      ledger: [],
      expected: {},
    });
    expect(verdict.violations.map((v) => v.kind)).toEqual(['real-time-order']);
  });

  it('accepts any order between overlapping ops', () => {
    const history = historyOf([withdraw(2), ok(6), 0, 20], [withdraw(2), ok(8), 10, 15]);
    const verdict = historyChecker.check({
      initial: account(10),
      final: account(6),
      history,
      ledger: [],
      expected: {},
    });
    expect(verdict.valid).toBe(true);
  });

  it('does not apply to subjects that also receive deposits (a balance may then recur)', () => {
    const history = historyOf([withdraw(5), ok(5)], [deposit(5), ok(10)], [withdraw(5), ok(5)]);
    const verdict = historyChecker.check({
      initial: account(10),
      final: account(5),
      history,
      ledger: [],
      expected: {},
    });
    expect(verdict.valid).toBe(true);
  });
});

describe('negative values and stock totals', () => {
  it('flags a negative final balance and a negative balance reported along the way', () => {
    const history = historyOf([withdraw(12), ok(-2)]);
    const verdict = stateChecker.check({
      initial: account(10),
      final: account(-2),
      history,
      ledger: [],
      expected: {},
    });
    // Two events of two different kinds: an account that ends below 0, and an operation that said so.
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        kind: 'negative-balance',
        count: 1,
        counts: 'accounts',
        magnitude: { amount: 2, unit: 'money' },
      }),
      expect.objectContaining({ kind: 'negative-reported', count: 1, counts: 'operations' }),
    ]);
  });

  it('flags negative stock and a changed available + reserved total', () => {
    const final = { accounts: [], items: [{ sku: 's', available: -1, reserved: 4, version: 3 }] };
    expect(kinds({ initial: item(2), final, history: [], ledger: [], expected: {} }, stateChecker)).toEqual([
      'negative-stock',
      'stock-total-changed',
    ]);
  });
});

describe('flash-sale overselling', () => {
  // 2 in stock, 3 buyers told ok; the last write left available at 0, reserved at 2.
  const history = historyOf(
    [reserve(1), ok({ available: 1, reserved: 1 })],
    [reserve(1), ok({ available: 1, reserved: 1 })],
    [reserve(1), ok({ available: 0, reserved: 2 })],
  );
  const input: RunInput = {
    initial: item(2),
    final: item(0, 2),
    history,
    ledger: ledgerFor(history),
    expected: { ok: 2, fail: { out_of_stock: 1 }, items: { s: { available: 0, reserved: 2 } } },
  };

  it('is oversold, stock appears from nowhere, the counts are wrong and one update was lost', () => {
    const verdict = allCheckers.check(input);
    expect(verdict.violations.map((v) => v.kind).sort()).toEqual([
      'lost-update',
      'oversold',
      'stock-created',
      'unexpected-outcome',
    ]);
    // Both counts are off: 3 ok instead of 2, 0 out_of_stock instead of 1.
    expect(verdict.violations.find((v) => v.kind === 'unexpected-outcome')?.count).toBe(2);
  });
});

describe('the ledger', () => {
  const history = historyOf([withdraw(4), ok(6)], [withdraw(4), fail('insufficient_funds')]);
  const base = { initial: account(10), final: account(6), history, expected: {} };

  it('must have a row for every ok change', () => {
    expect(kinds({ ...base, ledger: [] }, ledgerChecker)).toEqual(['ledger-missing']);
  });

  it('must have no row for a failed change', () => {
    const [row] = ledgerFor(history);
    const phantom = { ...(row as NonNullable<typeof row>), opId: 't-1' };
    expect(kinds({ ...base, ledger: [...ledgerFor(history), phantom] }, ledgerChecker)).toEqual([
      'ledger-for-failed-op',
    ]);
  });

  it('must not repeat a row, invent an op, or disagree with the op it records', () => {
    const [row] = ledgerFor(history);
    const good = row as NonNullable<typeof row>;
    const ledger = [good, good, { ...good, opId: 'nobody' }];
    expect(kinds({ ...base, ledger }, ledgerChecker)).toEqual(['ledger-duplicate', 'ledger-unknown-op']);
    expect(kinds({ ...base, ledger: [{ ...good, resultingValue: 7 }] }, ledgerChecker)).toEqual([
      'ledger-mismatch',
    ]);
  });
});

describe('operations of unknown outcome (info)', () => {
  // Balance 10: one ok withdrawal of 4, one that timed out. The final balance may be 6 or 2.
  const history = historyOf([withdraw(4), ok(6)], [withdraw(4), info('timeout')]);

  it('accept either resolution of the unknown, as undecided rather than as a violation', () => {
    for (const end of [6, 2]) {
      const verdict = conservationChecker.check({
        initial: account(10),
        final: account(end),
        history,
        ledger: [],
        expected: {},
      });
      expect(verdict).toMatchObject({ valid: 'unknown', violations: [] });
    }
  });

  it('still flag a final balance that no resolution explains', () => {
    const verdict = conservationChecker.check({
      initial: account(10),
      final: account(8),
      history,
      ledger: [],
      expected: {},
    });
    expect(verdict.violations.map((v) => v.kind)).toEqual(['money-created']);
  });

  it('may have a ledger row (it took effect) or not, but not two', () => {
    const withRow = [
      ...ledgerFor(history),
      {
        ...(ledgerFor(history)[0] as NonNullable<ReturnType<typeof ledgerFor>[0]>),
        opId: 't-1',
        resultingValue: 2,
      },
    ];
    const input = { initial: account(10), final: account(2), history, expected: {} };
    expect(ledgerChecker.check({ ...input, ledger: withRow }).valid).toBe(true);
    expect(ledgerChecker.check({ ...input, ledger: ledgerFor(history) }).valid).toBe(true);
    expect(
      kinds(
        { ...input, ledger: [...withRow, withRow[1] as NonNullable<(typeof withRow)[1]>] },
        ledgerChecker,
      ),
    ).toEqual(['ledger-duplicate']);
  });

  it('widen the expected counts: inside the range is undecided, outside is a violation', () => {
    const input = { initial: account(10), final: account(2), history, ledger: [] };
    expect(outcomeChecker.check({ ...input, expected: { ok: 2 } }).valid).toBe('unknown');
    expect(outcomeChecker.check({ ...input, expected: { ok: 1 } }).valid).toBe('unknown');
    expect(outcomeChecker.check({ ...input, expected: { ok: 3 } }).violations.map((v) => v.kind)).toEqual([
      'unexpected-outcome',
    ]);
  });

  it('make the combined verdict unknown, not true and not false', () => {
    const verdict = allCheckers.check({
      initial: account(10),
      final: account(2),
      history,
      ledger: ledgerFor(history),
      expected: {},
    });
    expect(verdict.valid).toBe('unknown');
  });
});
