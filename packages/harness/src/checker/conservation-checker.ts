import { changesOf, type History } from '../history/op.ts';
import { type Checker, ViolationTally } from './verdict.ts';

interface Bounds {
  /** Sum of the deltas of ok operations (and of info ones the ledger shows applied). */
  certain: number;
  /** Sums of the negative and positive deltas of info operations (each may or may not have applied). */
  unknownDown: number;
  unknownUp: number;
  okCount: number;
}

const noBounds = (): Bounds => ({ certain: 0, unknownDown: 0, unknownUp: 0, okCount: 0 });

/** Adds a change of `delta` by an ok (certain) or info (maybe) operation. */
const addTo = (b: Bounds, delta: number, certain: boolean) => {
  if (certain) {
    b.certain += delta;
    b.okCount += 1;
  } else if (delta < 0) b.unknownDown += delta;
  else b.unknownUp += delta;
};

/**
 * The bounds per subject, and of the total money over every account: an operation's changes to
 * balances are netted first, so a transfer (−n here, +n there) leaves the total certain even when
 * its own outcome is unknown.
 */
const boundsOf = (history: History) => {
  const bySubject = new Map<string, Bounds>();
  const money = noBounds();
  for (const op of history) {
    // An unknown op resolved from the ledger counts as what it was: a change or none.
    if (!op.outcome || op.outcome.type === 'fail' || op.resolution === 'not-applied') continue;
    const certain = op.outcome.type === 'ok' || op.resolution === 'applied';
    let net = 0;
    let touchesMoney = false;
    for (const { subject, delta } of changesOf(op.request)) {
      const b = bySubject.get(subject) ?? noBounds();
      addTo(b, delta, certain);
      bySubject.set(subject, b);
      if (subject.startsWith('account:')) {
        net += delta;
        touchesMoney = true;
      }
    }
    if (touchesMoney) addTo(money, net, certain);
  }
  return { bySubject, money };
};

const rangeOf = (start: number, b: Bounds) => {
  const low = start + b.certain + b.unknownDown;
  const high = start + b.certain + b.unknownUp;
  return { low, high, text: low === high ? `${low}` : `${low}..${high}` };
};

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

/**
 * Conservation: final = initial + the deltas of ok operations and of `info` ones the ledger shows
 * applied (resolveUnknowns; an interval only for an `info` left unresolved), for every account and item, and for the totals across them: the
 * money in all accounts moves only by deposits and withdrawals (a transfer changes none), and the
 * units of all items (available + reserved) never change. A final value above the interval is money
 * or stock created (a lost debit); below it, destroyed. Selling more than there was is `oversold`.
 */
export const conservationChecker: Checker = {
  name: 'conservation',
  check({ initial, final, history }) {
    const tally = new ViolationTally();
    const { bySubject, money } = boundsOf(history);
    const compare = (subject: string, start: number, end: number, unit: 'money' | 'stock') => {
      const b = bySubject.get(subject) ?? noBounds();
      const { low, high, text } = rangeOf(start, b);
      const story = `${subject} started at ${start}, ${b.okCount} changes that took effect sum to ${b.certain}, so it must end at ${text}; it ends at ${end}`;
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
      const sold = -(bySubject.get(subject)?.certain ?? 0);
      if (sold > item.available) {
        tally.add(
          'oversold',
          `${subject}: ok reservations took ${sold} units but only ${item.available} were available`,
          sold - item.available,
        );
      }
    }
    if (initial.accounts.length > 1) {
      const start = sum(initial.accounts.map((a) => a.balance));
      const end = sum(final.accounts.map((a) => a.balance));
      const { low, high, text } = rangeOf(start, money);
      if (end < low || end > high) {
        tally.add(
          'total-balance-changed',
          `the ${initial.accounts.length} accounts held ${start} together; deposits and withdrawals that took effect (transfers change no total) leave ${text}; they hold ${end}`,
          end > high ? end - high : low - end,
        );
      } else if (low !== high) tally.undecided();
    }
    if (initial.items.length > 1) {
      const start = sum(initial.items.map((i) => i.available + i.reserved));
      const end = sum(final.items.map((i) => i.available + i.reserved));
      if (end !== start) {
        tally.add(
          'total-stock-changed',
          `the ${initial.items.length} items held ${start} units together (available + reserved); they hold ${end}`,
          Math.abs(end - start),
        );
      }
    }
    return tally.verdict();
  },
};
