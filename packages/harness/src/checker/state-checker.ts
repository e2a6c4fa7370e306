import { reportedValues } from '../history/op.ts';
import { jointAccountIds } from './joint-accounts.ts';
import { type Checker, ViolationTally } from './verdict.ts';

/**
 * Nothing negative, ever: not in the final state, and not in any balance or stock count that an
 * ok operation reported along the way. For items, `available + reserved` never changes. The one
 * exception: an account that a joint withdrawal pairs with another may go below 0 alone, as its
 * rule is the pair's sum (the write-skew checker holds it to that).
 */
export const stateChecker: Checker = {
  name: 'state',
  check({ initial, final, history }) {
    const tally = new ViolationTally();
    const joint = jointAccountIds(history);
    for (const account of final.accounts) {
      if (account.balance < 0 && !joint.has(account.id))
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
      if (op.request.kind === 'withdraw-joint') continue;
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
