import type { History } from '../history/op.ts';

/** Two accounts of one customer whose rule is their sum (a joint withdrawal names both). */
export interface JointPair {
  readonly accountIds: readonly [number, number];
  /** Indexes of the ok joint withdrawals on the pair, for an example. */
  readonly okOps: readonly number[];
}

/** Every pair some joint withdrawal of the history names, each once, lower id first. */
export const jointPairs = (history: History): JointPair[] => {
  const pairs = new Map<string, { accountIds: [number, number]; okOps: number[] }>();
  for (const op of history) {
    if (op.request.kind !== 'withdraw-joint') continue;
    const { accountId, partnerId } = op.request;
    const accountIds: [number, number] =
      accountId < partnerId ? [accountId, partnerId] : [partnerId, accountId];
    const key = accountIds.join('+');
    const pair = pairs.get(key) ?? { accountIds, okOps: [] };
    if (op.outcome?.type === 'ok') pair.okOps.push(op.index);
    pairs.set(key, pair);
  }
  return [...pairs.values()];
};

/** The accounts whose own balance may go below 0, because their rule is the sum with a partner. */
export const jointAccountIds = (history: History): ReadonlySet<number> =>
  new Set(jointPairs(history).flatMap((pair) => pair.accountIds));
