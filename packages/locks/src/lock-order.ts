import type { LabOptionSpec, LabOptionValue } from '@concurrency-lab/model';

/**
 * The orders in which an operation that changes several rows may lock them. `id`: ascending by
 * subject (accounts by number, then items by sku), the same for every operation, so that no two of
 * them can each hold a lock the other waits for. `request`: as the request names them, so that a
 * transfer A→B and one B→A lock in opposite orders and can deadlock.
 */
export const LOCK_ORDERS = ['id', 'request'] as const;
export type LockOrder = (typeof LOCK_ORDERS)[number];

const SUBJECT = /^(account|item):(.*)$/;

/** Orders two subjects (`account:2`, `item:sku-a`) by id: accounts before items, ids as numbers, skus by code point. */
export const compareSubjects = (a: string, b: string): number => {
  const [, kindA = '', keyA = a] = SUBJECT.exec(a) ?? [];
  const [, kindB = '', keyB = b] = SUBJECT.exec(b) ?? [];
  if (kindA !== kindB) return kindA < kindB ? -1 : 1;
  if (kindA === 'account') return Number(keyA) - Number(keyB);
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
};

/** `things` in the order their rows are to be locked; `subjectOf` names each one's row. */
export const inLockOrder = <T>(
  things: readonly T[],
  order: LockOrder,
  subjectOf: (thing: T) => string,
): readonly T[] =>
  order === 'request' ? things : [...things].sort((a, b) => compareSubjects(subjectOf(a), subjectOf(b)));

/** The `lock-order` option of a lab that lets the learner choose (default: id). */
export const lockOrderOptionSpecs = (): Readonly<Record<string, LabOptionSpec>> => ({
  'lock-order': {
    kind: 'choice',
    description:
      'order in which a transfer, basket or joint withdrawal locks its rows: id (ascending, never a deadlock) or request (as named: opposite transfers deadlock, and Postgres aborts one with 40P01)',
    choices: LOCK_ORDERS,
    default: 'id',
  },
});

/** The lock order that resolved options (see lockOrderOptionSpecs) chose. */
export const lockOrderFrom = (options: Readonly<Record<string, LabOptionValue>>): LockOrder => {
  const order = options['lock-order'];
  if (!(LOCK_ORDERS as readonly unknown[]).includes(order)) {
    throw new TypeError(
      `option --lock-order is ${String(order)}; resolve the lab's options (resolveLabOptions) first`,
    );
  }
  return order as LockOrder;
};
