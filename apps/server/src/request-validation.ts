import { isValidAmount } from '@concurrency-lab/model';
import { z } from 'zod';

/** Why a request was refused before it reached a lab: the field, and what that field accepts. */
export interface InvalidInput {
  readonly field: string;
  readonly message: string;
  readonly accepted: string;
}

export type Validated<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: InvalidInput };

/** Largest account id: the accounts table keys rows by a Postgres `integer`. */
export const MAX_ACCOUNT_ID = 2_147_483_647;

const AMOUNT_ACCEPTED = `a JSON number that is a whole number from 1 to ${Number.MAX_SAFE_INTEGER}`;
const ID_ACCEPTED = `digits only, a whole number from 1 to ${MAX_ACCOUNT_ID}`;
const SKU_ACCEPTED =
  'letters, digits, ".", "_" or "-", starting with a letter or digit, at most 64 characters';

/** A short, safe rendering of what the client sent, for messages (never the whole of a long input). */
export const describeInput = (input: unknown): string => {
  if (input === undefined) return 'nothing';
  const kind = input === null ? 'null' : Array.isArray(input) ? 'an array' : `a ${typeof input}`;
  let text: string;
  try {
    text = JSON.stringify(input) ?? String(input);
  } catch {
    text = String(input);
  }
  if (typeof input === 'number' && !Number.isFinite(input)) text = String(input);
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `${shown} (${kind})`;
};

/** A string the client sent (a path segment, a name), quoted and bounded, for messages. */
export const quoted = (text: string): string =>
  JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

const quantity = (field: string) =>
  z.unknown().superRefine((input, ctx) => {
    if (input === undefined) ctx.addIssue({ code: 'custom', message: `${field} is required` });
    else if (!isValidAmount(input))
      ctx.addIssue({
        code: 'custom',
        message: `${field} must be ${AMOUNT_ACCEPTED}; got ${describeInput(input)}`,
      });
  });

// Built once: a zod schema is compiled on construction, far too slow to build per request.
const bodySchemas = {
  amount: z.strictObject(
    { amount: quantity('amount') },
    { error: (issue) => `the body must be a JSON object; got ${describeInput(issue.input)}` },
  ),
  qty: z.strictObject(
    { qty: quantity('qty') },
    { error: (issue) => `the body must be a JSON object; got ${describeInput(issue.input)}` },
  ),
} as const;

const accountIdSchema = z
  .string()
  .regex(/^[1-9][0-9]{0,9}$/)
  .transform(Number)
  .refine((id) => id <= MAX_ACCOUNT_ID);

const skuSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);

/** Validates `{ "<field>": n }`: exactly that one field, a positive safe integer, nothing else. */
export const parseQuantityBody = (body: unknown, field: 'amount' | 'qty'): Validated<number> => {
  const example = `{"${field}": <${AMOUNT_ACCEPTED}>}`;
  const result = bodySchemas[field].safeParse(body);
  if (result.success) return { ok: true, value: (result.data as Record<string, unknown>)[field] as number };
  // An unknown field explains a missing one best (`{"qty": 2}` sent to withdraw): report it first.
  const issues = result.error.issues;
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
    return {
      ok: false,
      error: {
        field: issue.keys[0] ?? 'body',
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}: the body takes only "${field}"`,
        accepted: example,
      },
    };
  }
  const onField = issue?.path[0] === field;
  return {
    ok: false,
    error: {
      field: onField ? field : 'body',
      message: issue?.message ?? 'invalid body',
      accepted: onField ? AMOUNT_ACCEPTED : example,
    },
  };
};

/** Validates an account id from the path: only digits, within the range the table can hold. */
export const parseAccountId = (raw: string): Validated<number> => {
  const result = accountIdSchema.safeParse(raw);
  return result.success
    ? { ok: true, value: result.data }
    : {
        ok: false,
        error: {
          field: 'id',
          message: `account id must be ${ID_ACCEPTED}; got ${quoted(raw)}`,
          accepted: ID_ACCEPTED,
        },
      };
};

/** Validates a sku from the path: a short name of safe characters (no quotes, spaces or semicolons). */
export const parseSku = (raw: string): Validated<string> => {
  const result = skuSchema.safeParse(raw);
  return result.success
    ? { ok: true, value: result.data }
    : {
        ok: false,
        error: {
          field: 'sku',
          message: `sku must be ${SKU_ACCEPTED}; got ${quoted(raw)}`,
          accepted: SKU_ACCEPTED,
        },
      };
};
