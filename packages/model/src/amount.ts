import { fail, type Outcome } from './outcome.ts';

/**
 * The one range of every number the model keeps: an amount or quantity is 1 to MAX_VALUE, a balance
 * or stock count 0 to MAX_VALUE. MAX_VALUE is Number.MAX_SAFE_INTEGER (2^53 - 1), the largest
 * integer JavaScript holds exactly; Postgres's bigint columns and Redis's integers hold more, so this
 * is the smaller of the limits, and no value past it is ever written, read back rounded, or reported.
 */
export const MAX_VALUE = Number.MAX_SAFE_INTEGER;

/** True for the only amounts the model accepts: positive safe integers. */
export const isValidAmount = (amount: unknown): amount is number =>
  typeof amount === 'number' && Number.isSafeInteger(amount) && amount > 0;

/**
 * Returns an `invalid_amount` failure for anything but a positive safe integer, or undefined.
 * Called before any I/O so that bad input never reaches a database.
 */
export const rejectInvalidAmount = (amount: unknown, field = 'amount'): Outcome<never> | undefined =>
  isValidAmount(amount)
    ? undefined
    : fail(
        'invalid_amount',
        `${field} must be a positive safe integer (1 to ${MAX_VALUE}), got ${String(amount)}`,
      );

/**
 * The refusal of a change that would take `subject` (`account 1`) from `value` past MAX_VALUE by
 * `delta`; the sum is computed exactly, so the message never shows a rounded number. Only a deposit
 * can do it: a withdrawal or a reservation only lowers a value, and `available + reserved` stays the
 * total it started with.
 */
export const limitExceeded = (subject: string, value: number, delta: number): Outcome<never> =>
  fail(
    'limit_exceeded',
    `${subject} would hold ${BigInt(value) + BigInt(delta)}, past the largest value kept, ${MAX_VALUE} (Number.MAX_SAFE_INTEGER); nothing changed`,
  );
