import { reportedValues } from '../history/op.ts';
import { type Checker, ViolationTally } from './verdict.ts';

/**
 * Nothing negative, ever: not in the final state, and not in any balance or stock count that an
 * ok operation reported along the way. For items, `available + reserved` never changes.
 */
export const stateChecker: Checker = {
  name: 'state',
  check({ initial, final, history }) {
    const tally = new ViolationTally();
    for (const account of final.accounts) {
      if (account.balance < 0)
        tally.add('negative-balance', `account ${account.id} ends at ${account.balance}`, -account.balance);
    }
    for (const item of final.items) {
      if (item.available < 0)
        tally.add(
          'negative-stock',
          `item ${item.sku} ends with ${item.available} available`,
          -item.available,
        );
      const before = initial.items.find((i) => i.sku === item.sku);
      const total = before ? before.available + before.reserved : undefined;
      if (total !== undefined && item.available + item.reserved !== total) {
        tally.add(
          'stock-total-changed',
          `item ${item.sku}: available ${item.available} + reserved ${item.reserved} ≠ initial total ${total}`,
          Math.abs(item.available + item.reserved - total),
        );
      }
    }
    for (const op of history) {
      const negative = reportedValues(op).find(({ value }) => value < 0);
      if (negative) {
        tally.add(
          'negative-reported',
          `an ok operation reported ${negative.value} for ${negative.subject}: ${JSON.stringify(op.request)}`,
        );
      }
    }
    return tally.verdict();
  },
};
