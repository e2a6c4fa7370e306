import { allCheckers, type Op } from '@concurrency-lab/harness';
import type { LedgerEntry, State } from '@concurrency-lab/model';

export interface CheckerRow {
  readonly ops: number;
  readonly microsPerOp: number;
  /** Heap held by the history, the ledger and the check's own structures, in MiB. */
  readonly heapMiB: number;
}

/** A correct withdraw-storm of `n` withdrawals of 1 from a balance of n/2, at 100 overlapping clients. */
const correctRun = (n: number) => {
  const start = Math.floor(n / 2);
  const history: Op[] = [];
  const ledger: LedgerEntry[] = [];
  let balance = start;
  for (let index = 0; index < n; index++) {
    const ok = balance > 0;
    if (ok) balance--;
    const id = `bench-${index}`;
    history.push({
      index,
      id,
      process: index % 100,
      request: { kind: 'withdraw', accountId: 1, amount: 1 },
      invokedAt: index,
      completedAt: index + 50,
      outcome: ok ? { type: 'ok', value: balance } : { type: 'fail', reason: 'insufficient_funds' },
      retries: 0,
      conflicts: 0,
      waitedMs: 0,
      deadlocks: 0,
    });
    if (ok) {
      ledger.push({
        opId: id,
        lab: 'bench',
        subject: 'account:1',
        kind: 'withdraw',
        delta: -1,
        resultingValue: balance,
        at: new Date(0),
      });
    }
  }
  const state = (b: number): State => ({ accounts: [{ id: 1, balance: b, version: 0 }], items: [] });
  return {
    initial: state(start),
    final: state(0),
    history,
    ledger,
    expected: { ok: start, fail: { insufficient_funds: n - start }, balances: { 1: 0 } },
  };
};

const heapMiB = () => process.memoryUsage().heapUsed / 2 ** 20;

/** Time per operation of every checker on a correct history of `n` operations (best of `repeats`). */
export const benchCheckers = (n: number, repeats: number): CheckerRow => {
  globalThis.gc?.();
  const before = heapMiB();
  const input = correctRun(n);
  let best = Number.POSITIVE_INFINITY;
  let peak = 0;
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    const verdict = allCheckers.check(input);
    best = Math.min(best, performance.now() - started);
    peak = Math.max(peak, heapMiB() - before);
    if (verdict.valid !== true) throw new Error(`the synthetic history of ${n} ops was judged invalid`);
  }
  return { ops: n, microsPerOp: (best * 1000) / n, heapMiB: peak };
};
