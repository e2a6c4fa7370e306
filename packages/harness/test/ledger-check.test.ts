import type { LedgerEntry, Outcome, State } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import { checkWithLedger, type Op, type OpRequest, scenarioNamed } from '../src/index.ts';

// checkWithLedger on hand-made histories and ledgers: what one replica can decide about traffic that
// several replicas served. Scenario `replicas`: 10 in stock at sku-flash, 40 orders, 10 may succeed.

const scenario = scenarioNamed('replicas');
const order: OpRequest = { kind: 'reserve', sku: 'sku-flash', qty: 1 };

const op = (id: string, index: number, outcome: Outcome<{ available: number; reserved: number }>): Op => ({
  index,
  id,
  process: 0,
  request: order,
  invokedAt: index * 10,
  completedAt: index * 10 + 5,
  outcome,
  retries: 0,
  conflicts: 0,
  waitedMs: 0,
  deadlocks: 0,
});

const row = (opId: string, available: number): LedgerEntry => ({
  opId,
  lab: 'test',
  subject: 'item:sku-flash',
  kind: 'reserve',
  delta: -1,
  resultingValue: available,
  at: new Date(0),
});

const stock = (available: number, reserved: number): State => ({
  accounts: [],
  items: [{ sku: 'sku-flash', available, reserved, version: 0 }],
});

/** 10 sales in order (available 9 … 0), `mine` of them served by this replica, the rest by others. */
const correctRun = (mine: number) => {
  const ledger = Array.from({ length: 10 }, (_, i) => row(i < mine ? `me-${i}` : `other-${i}`, 9 - i));
  const local = Array.from({ length: mine }, (_, i) =>
    op(`me-${i}`, i, { type: 'ok', value: { available: 9 - i, reserved: i + 1 } }),
  );
  return { ledger, local };
};

describe('checkWithLedger', () => {
  it('accepts a correct run that three replicas served, counting the others’ sales from the ledger', () => {
    const { ledger, local } = correctRun(3);
    const result = checkWithLedger({ scenario, final: stock(0, 10), ledger, local, replicas: 3 });
    expect(result.verdict).toMatchObject({ valid: true, violations: [] });
    expect(result.coverage).toEqual({
      localOps: 3,
      ledgerRows: 10,
      opsFromLedger: 7,
      failCountsChecked: false,
    });
  });

  it('finds the oversold stock and the lost updates of replicas that each trusted their own lock', () => {
    // Two replicas both sold the 10th-last unit: 11 rows, two of them reporting available 8.
    const { ledger, local } = correctRun(2);
    ledger.push(row('other-extra', 8));
    const result = checkWithLedger({ scenario, final: stock(0, 10), ledger, local, replicas: 3 });
    expect(result.verdict.valid).toBe(false);
    expect(result.verdict.violations.map((v) => v.kind)).toEqual(
      expect.arrayContaining(['oversold', 'lost-update', 'unexpected-outcome', 'stock-created']),
    );
    const lost = result.verdict.violations.find((v) => v.kind === 'lost-update');
    expect(lost?.example).toContain('[served by another replica]');
    expect(lost?.example).not.toContain('Infinity');
  });

  it('with one replica, treats a ledger row that no request explains as an anomaly', () => {
    const { ledger, local } = correctRun(10);
    ledger.push(row('nobody', 0));
    const result = checkWithLedger({ scenario, final: stock(0, 10), ledger, local, replicas: 1 });
    expect(result.verdict.violations.map((v) => v.kind)).toContain('ledger-unknown-op');
    expect(result.coverage.failCountsChecked).toBe(true);
  });

  it('with one replica, compares the failure counts with the scenario’s', () => {
    const { ledger, local } = correctRun(10);
    const refusals = Array.from({ length: 29 }, (_, i) =>
      op(`no-${i}`, 10 + i, { type: 'fail', reason: 'out_of_stock' }),
    );
    const oneShort = checkWithLedger({
      scenario,
      final: stock(0, 10),
      ledger,
      local: [...local, ...refusals],
      replicas: 1,
    });
    expect(oneShort.verdict.violations).toEqual([expect.objectContaining({ kind: 'unexpected-outcome' })]);
    const refusal = op('no-last', 39, { type: 'fail', reason: 'out_of_stock' });
    const complete = checkWithLedger({
      scenario,
      final: stock(0, 10),
      ledger,
      local: [...local, ...refusals, refusal],
      replicas: 1,
    });
    expect(complete.verdict).toMatchObject({ valid: true, violations: [] });
  });

  it('flags an ok answer the ledger never recorded, and a refusal that it did record', () => {
    const { ledger, local } = correctRun(3);
    const withoutFirst = ledger.filter((r) => r.opId !== 'me-0');
    const missing = checkWithLedger({
      scenario,
      final: stock(0, 10),
      ledger: withoutFirst,
      local,
      replicas: 3,
    });
    expect(missing.verdict.violations.map((v) => v.kind)).toContain('ledger-missing');
    const refused = [...local.slice(1), op('me-0', 0, { type: 'fail', reason: 'out_of_stock' })];
    const recorded = checkWithLedger({ scenario, final: stock(0, 10), ledger, local: refused, replicas: 3 });
    expect(recorded.verdict.violations.map((v) => v.kind)).toContain('ledger-for-failed-op');
  });

  it('never judges the real-time order of sales it only knows from the ledger', () => {
    // A local sale reporting 9 completed long before; the ledger's other sales have no times.
    const ledger = [row('me-0', 9), ...Array.from({ length: 9 }, (_, i) => row(`other-${i}`, 8 - i))];
    const local = [op('me-0', 0, { type: 'ok', value: { available: 9, reserved: 1 } })];
    const result = checkWithLedger({ scenario, final: stock(0, 10), ledger, local, replicas: 3 });
    expect(result.verdict).toMatchObject({ valid: true, violations: [] });
  });

  it('can check from the ledger alone', () => {
    const { ledger } = correctRun(0);
    const result = checkWithLedger({ scenario, final: stock(0, 10), ledger, local: undefined, replicas: 1 });
    expect(result.verdict.valid).toBe(true);
    expect(result.coverage).toMatchObject({ localOps: 0, opsFromLedger: 10, failCountsChecked: false });
    const corrupted = checkWithLedger({
      scenario,
      final: stock(2, 10),
      ledger,
      local: undefined,
      replicas: 1,
    });
    expect(corrupted.verdict.violations.map((v) => v.kind)).toEqual(
      expect.arrayContaining(['stock-created']),
    );
  });
});
