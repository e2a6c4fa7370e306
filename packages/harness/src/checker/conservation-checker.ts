import { deltaOf, type History, isChange, subjectOf } from '../history/op.ts';
import { type Checker, ViolationTally } from './verdict.ts';

interface Bounds {
  /** Sum of the deltas of ok operations. */
  certain: number;
  /** Sums of the negative and positive deltas of info operations (each may or may not have applied). */
  unknownDown: number;
  unknownUp: number;
  okCount: number;
}

const boundsBySubject = (history: History): Map<string, Bounds> => {
  const bounds = new Map<string, Bounds>();
  for (const op of history) {
    if (!isChange(op.request) || !op.outcome || op.outcome.type === 'fail') continue;
    const subject = subjectOf(op.request);
    const b = bounds.get(subject) ?? { certain: 0, unknownDown: 0, unknownUp: 0, okCount: 0 };
    const delta = deltaOf(op.request);
    if (op.outcome.type === 'ok') {
      b.certain += delta;
      b.okCount += 1;
    } else if (delta < 0) b.unknownDown += delta;
    else b.unknownUp += delta;
    bounds.set(subject, b);
  }
  return bounds;
};

/**
 * Conservation: final = initial + the deltas of ok operations (an interval when `info` operations
 * may or may not have applied). A final balance above the interval is money created (a lost
 * debit); below it, money destroyed. For items, selling more than there was is `oversold`.
 */
export const conservationChecker: Checker = {
  name: 'conservation',
  check({ initial, final, history }) {
    const tally = new ViolationTally();
    const bounds = boundsBySubject(history);
    const zero: Bounds = { certain: 0, unknownDown: 0, unknownUp: 0, okCount: 0 };
    const compare = (subject: string, start: number, end: number, unit: 'money' | 'stock') => {
      const b = bounds.get(subject) ?? zero;
      const low = start + b.certain + b.unknownDown;
      const high = start + b.certain + b.unknownUp;
      const range = low === high ? `${low}` : `${low}..${high}`;
      const story = `${subject} started at ${start}, ${b.okCount} ok changes sum to ${b.certain}, so it must end at ${range}; it ends at ${end}`;
      if (end > high) tally.add(`${unit}-created`, story, end - high);
      else if (end < low) tally.add(`${unit}-destroyed`, story, low - end);
      else if (low !== high) tally.undecided();
    };
    for (const account of initial.accounts) {
      const end = final.accounts.find((a) => a.id === account.id)?.balance ?? 0;
      compare(`account:${account.id}`, account.balance, end, 'money');
    }
    for (const item of initial.items) {
      const subject = `item:${item.sku}`;
      const end = final.items.find((i) => i.sku === item.sku)?.available ?? 0;
      compare(subject, item.available, end, 'stock');
      const sold = -(bounds.get(subject)?.certain ?? 0);
      if (sold > item.available) {
        tally.add(
          'oversold',
          `${subject}: ok reservations took ${sold} units but only ${item.available} were available`,
          sold - item.available,
        );
      }
    }
    return tally.verdict();
  },
};
