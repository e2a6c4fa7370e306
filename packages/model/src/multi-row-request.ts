import { rejectInvalidAmount } from './amount.ts';
import type { BasketLine } from './lab.ts';
import { fail, type Outcome } from './outcome.ts';

/** The most lines one basket may have: every line is a row to lock or a key to touch. */
export const MAX_BASKET_LINES = 10;

/**
 * An `invalid_request` failure for a transfer to its own account (or `invalid_amount` for its
 * amount), or undefined. Called before any I/O, like rejectInvalidAmount.
 */
export const rejectInvalidTransfer = (
  from: number,
  to: number,
  amount: unknown,
): Outcome<never> | undefined =>
  rejectInvalidAmount(amount) ??
  (from === to
    ? fail('invalid_request', `a transfer needs two different accounts; got ${from} → ${to}`)
    : undefined);

/**
 * An `invalid_request` failure for a joint withdrawal whose partner is the account itself (or
 * `invalid_amount` for its amount), or undefined.
 */
export const rejectInvalidJoint = (
  accountId: number,
  partnerId: number,
  amount: unknown,
): Outcome<never> | undefined =>
  rejectInvalidAmount(amount) ??
  (accountId === partnerId
    ? fail('invalid_request', `a joint withdrawal needs two different accounts; got ${accountId} twice`)
    : undefined);

/**
 * An `invalid_request` failure for a basket with no line, more than MAX_BASKET_LINES, or an item
 * named twice (`invalid_amount` for a quantity that is not a positive safe integer), or undefined.
 */
export const rejectInvalidBasket = (lines: readonly BasketLine[]): Outcome<never> | undefined => {
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > MAX_BASKET_LINES) {
    const got = Array.isArray(lines) ? `${lines.length} lines` : String(lines);
    return fail('invalid_request', `a basket has 1 to ${MAX_BASKET_LINES} lines; got ${got}`);
  }
  const seen = new Set<string>();
  for (const { sku, qty } of lines) {
    const refused = rejectInvalidAmount(qty, `qty of ${sku}`);
    if (refused) return refused;
    if (seen.has(sku)) return fail('invalid_request', `a basket names each item once; ${sku} is there twice`);
    seen.add(sku);
  }
  return undefined;
};
