import { type FailReason, isUndecided } from '@concurrency-lab/model';
import { isChange } from '../history/op.ts';
import { type Checker, ViolationTally } from './verdict.ts';

/**
 * The exact outcome the scenario demands (for example 5000 ok and 5000 insufficient_funds).
 * An `info` op the ledger shows applied counts as ok. One it shows not applied never reached a
 * decision, nor did a failure the model calls undecided (no lock, no quorum, a lease lost: see
 * isUndecided), so each may stand for any one answer: each count may fall short by those, and
 * inside that the verdict is decided. An unresolved `info` widens each count to a range that stays undecided.
 */
export const outcomeChecker: Checker = {
  name: 'outcome',
  check({ history, final, expected }) {
    const tally = new ViolationTally();
    let ok = 0;
    let unknown = 0;
    let cutOff = 0;
    const fails = new Map<FailReason, number>();
    for (const op of history) {
      if (!isChange(op.request) || !op.outcome) continue;
      if (op.outcome.type === 'ok' || op.resolution === 'applied') ok++;
      else if (op.resolution === 'not-applied') cutOff++;
      else if (op.outcome.type === 'info') unknown++;
      else {
        fails.set(op.outcome.reason, (fails.get(op.outcome.reason) ?? 0) + 1);
        if (isUndecided(op.outcome.reason)) cutOff++;
      }
    }
    const count = (label: string, actual: number, want: number) => {
      if (actual > want || actual + unknown + cutOff < want) {
        const notes = [
          unknown ? `+${unknown} unknown` : '',
          cutOff ? `${cutOff} undecided without effect` : '',
        ];
        const note = notes.filter(Boolean).join(', ');
        tally.add(
          'unexpected-outcome',
          `expected ${want} ${label}, got ${actual}${note ? ` (${note})` : ''}`,
        );
      } else if (unknown > 0) tally.undecided();
    };
    if (expected.ok !== undefined) count('ok', ok, expected.ok);
    for (const [reason, want] of Object.entries(expected.fail ?? {})) {
      count(reason, fails.get(reason as FailReason) ?? 0, want);
    }
    // The scenario's final state assumes every request was decided; with some undecided ones it is
    // not demanded (conservation still holds the final state to what took effect, exactly).
    const finalState = (example: string) => {
      if (cutOff === 0) tally.add('unexpected-final-state', example);
    };
    for (const [id, want] of Object.entries(expected.balances ?? {})) {
      const actual = final.accounts.find((a) => a.id === Number(id))?.balance;
      if (actual !== want) finalState(`account ${id} should end at ${want}, ends at ${actual}`);
    }
    for (const [sku, want] of Object.entries(expected.items ?? {})) {
      const item = final.items.find((i) => i.sku === sku);
      if (item?.available !== want.available || item.reserved !== want.reserved) {
        finalState(
          `item ${sku} should end at ${want.available} available / ${want.reserved} reserved, ends at ${item?.available} / ${item?.reserved}`,
        );
      }
    }
    return tally.verdict();
  },
};
