import { fail, type Outcome } from './outcome.ts';

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
        `${field} must be a positive safe integer (1 to ${Number.MAX_SAFE_INTEGER}), got ${String(amount)}`,
      );
