import { fail, ok, type State } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import { allCheckers, type OpRequest, type RunInput, SCENARIOS, writeSkewChecker } from '../src/index.ts';
import { historyOf, ledgerFor } from './history-builder.ts';

// A customer with accounts 1 and 2 of 50 each; each withdrawal of 60 fits the sum of 100 alone.
const joint = (accountId: number, partnerId: number, amount = 60): OpRequest => ({
  kind: 'withdraw-joint',
  accountId,
  partnerId,
  amount,
});
const balances = (...values: number[]): State => ({
  accounts: values.map((balance, i) => ({ id: i + 1, balance, version: 0 })),
  items: [],
});
// A joint withdrawal writes a `withdraw` row for the account it takes from.
const ledgerOf = (history: ReturnType<typeof historyOf>) =>
  ledgerFor(history).map((row) => ({ ...row, kind: 'withdraw' as const }));

describe('write-skew checker', () => {
  it('flags a customer whose two accounts end below 0 together, with both ok withdrawals as the example', () => {
    const history = historyOf([joint(1, 2), ok(-10)], [joint(2, 1), ok(-10)]);
    const input: RunInput = {
      initial: balances(50, 50),
      final: balances(-10, -10),
      history,
      ledger: ledgerOf(history),
      expected: {},
    };
    const verdict = writeSkewChecker.check(input);
    expect(verdict.valid).toBe(false);
    expect(verdict.violations).toEqual([
      expect.objectContaining({
        kind: 'write-skew',
        count: 1,
        counts: 'customers',
        magnitude: { amount: 20, unit: 'money' },
      }),
    ]);
    expect(verdict.violations[0]?.example).toMatch(/accounts 1 and 2 end at -10 \+ -10 = -20/);
    expect(verdict.violations[0]?.example).toMatch(
      /#0 withdraw-joint\(1 with 2, 60\).*#1 withdraw-joint\(2 with 1, 60\)/,
    );
  });

  it('lets one account of a pair go below 0 alone: every checker passes one withdrawal and one refusal', () => {
    const history = historyOf([joint(1, 2), ok(-10)], [joint(2, 1), fail('insufficient_funds')]);
    const verdict = allCheckers.check({
      initial: balances(50, 50),
      final: balances(-10, 50),
      history,
      ledger: ledgerOf(history),
      expected: SCENARIOS['write-skew'].scaled(2).expected,
    });
    expect(verdict).toMatchObject({ valid: true, violations: [] });
  });

  it('still flags a negative balance on an account no joint withdrawal names', () => {
    const history = historyOf([joint(1, 2), ok(-10)]);
    const verdict = allCheckers.check({
      initial: balances(50, 50, 0),
      final: balances(-10, 50, -5),
      history,
      ledger: ledgerOf(history),
      expected: {},
    });
    const negative = verdict.violations.filter((v) => v.kind === 'negative-balance');
    expect(negative).toHaveLength(1);
    expect(negative[0]?.example).toMatch(/account 3 ends at -5/);
  });
});

describe('write-skew scenario', () => {
  it('gives each customer two withdrawals side by side, one from each account, of which exactly one fits', () => {
    const scenario = SCENARIOS['write-skew'].scaled(4);
    expect(scenario.initialState.accounts.map((a) => [a.id, a.balance])).toEqual([
      [1, 50],
      [2, 50],
      [3, 50],
      [4, 50],
    ]);
    expect(scenario.ops(undefined as never)).toEqual([joint(1, 2), joint(2, 1), joint(3, 4), joint(4, 3)]);
    expect(scenario.expected).toEqual({ ok: 2, fail: { insufficient_funds: 2 } });
  });
});
