import { describeOp } from '../history/op.ts';
import { jointPairs } from './joint-accounts.ts';
import { type Checker, ViolationTally } from './verdict.ts';

/**
 * A customer's two accounts must together end at or above 0 (either may be below 0 alone): a pair
 * that ends below means two joint withdrawals each checked a sum the other was changing (write skew).
 */
export const writeSkewChecker: Checker = {
  name: 'write-skew',
  check({ final, history }) {
    const tally = new ViolationTally();
    const balanceOf = (id: number) => final.accounts.find((account) => account.id === id)?.balance;
    for (const { accountIds, okOps } of jointPairs(history)) {
      const [first, second] = accountIds.map(balanceOf);
      if (first === undefined || second === undefined || first + second >= 0) continue;
      const ops = okOps.map((index) => history.find((op) => op.index === index));
      const shown = ops.flatMap((op) => (op ? [describeOp(op)] : [])).slice(0, 2);
      tally.add(
        'write-skew',
        `accounts ${accountIds[0]} and ${accountIds[1]} end at ${first} + ${second} = ${first + second}; ok: ${shown.join('; ')}`,
        -(first + second),
      );
    }
    return tally.verdict();
  },
};
