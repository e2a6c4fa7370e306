import { fail, info, ok, type State } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import {
  allCheckers,
  type Checker,
  checkWithLedger,
  conservationChecker,
  ledgerChecker,
  type OpRequest,
  type RunInput,
  scenarioNamed,
} from '../src/index.ts';
import { historyOf, ledgerFor } from './history-builder.ts';

// Transfers and baskets on hand-made histories: one ledger row per subject changed, totals across
// accounts and items, and the partial application that an all-or-nothing operation must never show.

const kinds = (input: RunInput, checker: Checker = allCheckers) =>
  checker
    .check(input)
    .violations.map((v) => v.kind)
    .sort();

const accounts = (...balances: number[]): State => ({
  accounts: balances.map((balance, i) => ({ id: i + 1, balance, version: 0 })),
  items: [],
});
const items = (...counts: Array<[available: number, reserved: number]>): State => ({
  accounts: [],
  items: counts.map(([available, reserved], i) => ({
    sku: `sku-${'abc'[i]}`,
    available,
    reserved,
    version: 0,
  })),
});
const transfer = (from: number, to: number, amount: number): OpRequest => ({
  kind: 'transfer',
  from,
  to,
  amount,
});
const basket = (...lines: Array<[sku: string, qty: number]>): OpRequest => ({
  kind: 'basket',
  lines: lines.map(([sku, qty]) => ({ sku, qty })),
});
const line = (sku: string, available: number, reserved: number) => ({ sku, available, reserved });

describe('transfers', () => {
  // Accounts 1 and 2 hold 100 each: 1 pays 2 30, then 2 pays 1 50, then 1 cannot pay 2 200.
  const history = historyOf(
    [transfer(1, 2, 30), ok({ from: 70, to: 130 })],
    [transfer(2, 1, 50), ok({ from: 80, to: 120 })],
    [transfer(1, 2, 200), fail('insufficient_funds')],
  );
  const base: RunInput = {
    initial: accounts(100, 100),
    final: accounts(120, 80),
    history,
    ledger: ledgerFor(history),
    expected: {},
  };

  it('are valid when each ok one has two ledger rows and the total is unchanged', () => {
    expect(ledgerFor(history)).toHaveLength(4);
    expect(allCheckers.check(base)).toMatchObject({ valid: true, violations: [] });
  });

  it('must have a row for each account: a transfer with its debit only is partly applied', () => {
    const ledger = ledgerFor(history).filter((row) => !(row.opId === 't-0' && row.delta > 0));
    expect(kinds({ ...base, ledger }, ledgerChecker)).toEqual(['partly-applied']);
  });

  it('count money created by a debit that was lost, on the account and on the total', () => {
    // The second transfer's debit of 2 was overwritten: 2 ends 50 too high, and so does the total.
    const input = { ...base, final: accounts(120, 130) };
    expect(kinds(input, conservationChecker)).toEqual(['money-created', 'total-balance-changed']);
    const total = conservationChecker.check(input).violations.find((v) => v.kind === 'total-balance-changed');
    expect(total).toMatchObject({ count: 1, counts: 'totals', magnitude: { amount: 50, unit: 'money' } });
  });

  it('keep the total exact when a transfer’s outcome is unknown: only half of one applied is caught', () => {
    const unknown = historyOf([transfer(1, 2, 30), info('timeout')]);
    const input: RunInput = {
      initial: accounts(100, 100),
      final: accounts(70, 130),
      history: unknown,
      ledger: [],
      expected: {},
    };
    // Both accounts moved within what the unknown transfer allows, and the total held: undecided.
    expect(conservationChecker.check(input).valid).toBe('unknown');
    // The debit without the credit: each account is within its bounds, but the total is not.
    expect(kinds({ ...input, final: accounts(70, 100) }, conservationChecker)).toEqual([
      'total-balance-changed',
    ]);
  });
});

describe('baskets', () => {
  // sku-a and sku-b have 3 each: the first basket takes 2 + 1, the second cannot have 2 more of sku-a.
  const history = historyOf(
    [basket(['sku-a', 2], ['sku-b', 1]), ok([line('sku-a', 1, 2), line('sku-b', 2, 1)])],
    [basket(['sku-b', 1], ['sku-a', 2]), fail('out_of_stock')],
  );
  const base: RunInput = {
    initial: items([3, 0], [3, 0]),
    final: items([1, 2], [2, 1]),
    history,
    ledger: ledgerFor(history),
    expected: {},
  };

  it('are valid with one ledger row per line of each ok basket', () => {
    expect(ledgerFor(history)).toHaveLength(2);
    expect(allCheckers.check(base)).toMatchObject({ valid: true, violations: [] });
  });

  it('never end partly reserved: a refused basket that kept its first line is caught three ways', () => {
    // The refused basket reserved sku-b before finding sku-a short, and did not undo it.
    const kept = {
      opId: 't-1',
      lab: 'test',
      subject: 'item:sku-b',
      kind: 'basket' as const,
      delta: -1,
      resultingValue: 1,
      at: new Date(0),
    };
    const input = { ...base, final: items([1, 2], [1, 2]), ledger: [...ledgerFor(history), kept] };
    expect(kinds(input)).toEqual(['ledger-for-failed-op', 'partly-applied', 'stock-destroyed']);
  });

  it('show a lost update on a line as two baskets reporting the same count for an item', () => {
    const lost = historyOf(
      [basket(['sku-a', 1], ['sku-b', 1]), ok([line('sku-a', 2, 1), line('sku-b', 2, 1)])],
      [basket(['sku-a', 1], ['sku-c', 1]), ok([line('sku-a', 2, 1), line('sku-c', 2, 1)])],
    );
    const input: RunInput = {
      initial: items([3, 0], [3, 0], [3, 0]),
      final: items([2, 1], [2, 1], [2, 1]),
      history: lost,
      ledger: ledgerFor(lost),
      expected: {},
    };
    expect(kinds(input)).toEqual(['lost-update', 'stock-created']);
  });

  it('count units that appear from nowhere on the total across items', () => {
    const input = { ...base, final: items([1, 2], [3, 1]) };
    expect(kinds(input, conservationChecker)).toEqual(['stock-created', 'total-stock-changed']);
  });
});

describe('checkWithLedger with transfers and baskets served by other replicas', () => {
  it('rebuilds each operation from its rows and checks them as ok operations', () => {
    const scenario = scenarioNamed('transfer');
    const served = historyOf(
      [transfer(1, 2, 30), ok({ from: 170, to: 230 })],
      [transfer(3, 1, 10), ok({ from: 190, to: 180 })],
    );
    const ledger = ledgerFor(served);
    const final: State = {
      accounts: scenario.initialState.accounts.map((a) => ({
        ...a,
        balance: { 1: 180, 2: 230, 3: 190 }[a.id] ?? a.balance,
      })),
      items: [],
    };
    const result = checkWithLedger({ scenario, final, ledger, local: undefined, replicas: 3 });
    expect(result.coverage).toMatchObject({ ledgerRows: 4, opsFromLedger: 2 });
    // The scenario's not_found count cannot be judged from the ledger; everything else holds.
    expect(result.verdict.violations).toEqual([]);
    // A transfer known only by its debit is no operation at all: its row is unexplained.
    const half = checkWithLedger({ scenario, final, ledger: ledger.slice(1), local: undefined, replicas: 3 });
    expect(half.verdict.violations.map((v) => v.kind)).toContain('ledger-unknown-op');
  });
});
