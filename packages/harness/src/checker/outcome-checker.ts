import type { FailReason } from '@concurrency-lab/model';
import { isChange } from '../history/op.ts';
import { type Checker, ViolationTally } from './verdict.ts';

/**
 * The exact outcome the scenario demands (for example 5000 ok and 5000 insufficient_funds).
 * Unknown (`info`) operations widen each count to a range; inside it the verdict is undecided.
 */
export const outcomeChecker: Checker = {
  name: 'outcome',
  check({ history, final, expected }) {
    const tally = new ViolationTally();
    let ok = 0;
    let unknown = 0;
    const fails = new Map<FailReason, number>();
    for (const op of history) {
      if (!isChange(op.request) || !op.outcome) continue;
      if (op.outcome.type === 'ok') ok++;
      else if (op.outcome.type === 'info') unknown++;
      else fails.set(op.outcome.reason, (fails.get(op.outcome.reason) ?? 0) + 1);
    }
    const count = (label: string, actual: number, want: number) => {
      if (actual > want || actual + unknown < want) {
        tally.add(
          'unexpected-outcome',
          `expected ${want} ${label}, got ${actual}${unknown ? ` (+${unknown} unknown)` : ''}`,
        );
      } else if (unknown > 0) tally.undecided();
    };
    if (expected.ok !== undefined) count('ok', ok, expected.ok);
    for (const [reason, want] of Object.entries(expected.fail ?? {})) {
      count(reason, fails.get(reason as FailReason) ?? 0, want);
    }
    for (const [id, want] of Object.entries(expected.balances ?? {})) {
      const actual = final.accounts.find((a) => a.id === Number(id))?.balance;
      if (actual !== want)
        tally.add('unexpected-final-state', `account ${id} should end at ${want}, ends at ${actual}`);
    }
    for (const [sku, want] of Object.entries(expected.items ?? {})) {
      const item = final.items.find((i) => i.sku === sku);
      if (item?.available !== want.available || item.reserved !== want.reserved) {
        tally.add(
          'unexpected-final-state',
          `item ${sku} should end at ${want.available} available / ${want.reserved} reserved, ends at ${item?.available} / ${item?.reserved}`,
        );
      }
    }
    return tally.verdict();
  },
};
