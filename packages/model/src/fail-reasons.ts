/**
 * Every reason an operation may fail, with what it means and the HTTP status the server answers
 * for it: the one home of both. A `fail` outcome promises that nothing changed. Business refusals
 * and contention the strategy gave up on (retries exhausted, a deadlock victim) are 409, as the
 * request may be retried; a lock or quorum that could not be had is the backing service's state: 503.
 * A lease lost while held (`stale_token`) is 409: the request may be retried with a new lock.
 */
export const FAIL_REASON_TABLE = {
  insufficient_funds: {
    status: 409,
    meaning: 'the balance would go below 0 (a joint withdrawal: the sum of the two accounts would)',
  },
  out_of_stock: { status: 409, meaning: 'fewer units are available than asked for' },
  not_found: { status: 404, meaning: 'the account or item does not exist' },
  invalid_amount: {
    status: 400,
    meaning: 'the amount is not a positive safe integer (decided before any I/O)',
  },
  limit_exceeded: {
    status: 409,
    meaning:
      'the change would take a balance past 9007199254740991 (Number.MAX_SAFE_INTEGER), the largest value kept',
  },
  invalid_request: {
    status: 400,
    meaning:
      'a transfer to its own account, a joint withdrawal whose partner is the account itself, or a basket that is empty, too long or names an item twice (decided before any I/O)',
  },
  conflict_retries_exhausted: { status: 409, meaning: 'the row kept changing; the retries ran out' },
  lock_unavailable: {
    status: 503,
    meaning: 'the lock was held by others until the acquire timeout',
    undecided: true,
  },
  quorum_unavailable: {
    status: 503,
    meaning: 'too few lock nodes answered to grant a lock',
    undecided: true,
  },
  deadlock: { status: 409, meaning: 'the database chose this operation as a deadlock victim' },
  stale_token: {
    status: 409,
    meaning:
      'the lock was lost while held (its lease ran out): a newer holder had already used the row, so its fencing token was refused',
    undecided: true,
  },
} as const satisfies Record<
  string,
  { readonly status: number; readonly meaning: string; readonly undecided?: true }
>;

export type FailReason = keyof typeof FAIL_REASON_TABLE;

export const FAIL_REASONS = Object.keys(FAIL_REASON_TABLE) as readonly FailReason[];

export const isFailReason = (text: string): text is FailReason => Object.hasOwn(FAIL_REASON_TABLE, text);

/**
 * Whether a failure left the request undecided: the strategy gave up before it could ask the data
 * (no lock, no quorum, a lease lost), so the request could have been any one answer. The scenario's
 * exact counts may fall short by these (see the harness's outcome checker); `undecided` in the table.
 */
export const isUndecided = (reason: FailReason): boolean =>
  (FAIL_REASON_TABLE[reason] as { readonly undecided?: true }).undecided === true;

/** The HTTP status the server answers for a failure. */
export const httpStatusOf = (reason: FailReason): number => FAIL_REASON_TABLE[reason].status;
