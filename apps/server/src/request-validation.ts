import { isOpKey, OP_KEY_ACCEPTED, OP_KEY_HEADER } from '@concurrency-lab/harness';
import { type BasketLine, isValidAmount, MAX_BASKET_LINES } from '@concurrency-lab/model';
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

/**
 * Validates the operation's key from its header (absent is fine: the server's id alone names the
 * op). Express joins a repeated header with commas, which no key contains, so it is refused too.
 */
export const parseOpKey = (raw: string | undefined): Validated<string | undefined> =>
  raw === undefined || isOpKey(raw)
    ? { ok: true, value: raw }
    : {
        ok: false,
        error: {
          field: OP_KEY_HEADER,
          message: `the ${OP_KEY_HEADER} header must be ${OP_KEY_ACCEPTED}, given once; got ${quoted(raw)}`,
          accepted: OP_KEY_ACCEPTED,
        },
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

const ACCOUNT_ACCEPTED = `a JSON number that is a whole number from 1 to ${MAX_ACCOUNT_ID}`;
const TRANSFER_EXAMPLE = `{"from": <account id>, "to": <another account id>, "amount": <${AMOUNT_ACCEPTED}>}`;
const JOINT_EXAMPLE = `{"account": <account id>, "partner": <another account id>, "amount": <${AMOUNT_ACCEPTED}>}`;
const BASKET_EXAMPLE = `{"items": [{"sku": "<sku>", "qty": <${AMOUNT_ACCEPTED}>}, …]} with 1 to ${MAX_BASKET_LINES} different skus`;

const accountInBody = (field: string) =>
  z.unknown().superRefine((input, ctx) => {
    if (input === undefined) ctx.addIssue({ code: 'custom', message: `${field} is required` });
    else if (!Number.isSafeInteger(input) || (input as number) < 1 || (input as number) > MAX_ACCOUNT_ID)
      ctx.addIssue({
        code: 'custom',
        message: `${field} must be ${ACCOUNT_ACCEPTED}; got ${describeInput(input)}`,
      });
  });

const skuInBody = z.unknown().superRefine((input, ctx) => {
  if (input === undefined) ctx.addIssue({ code: 'custom', message: 'sku is required' });
  else if (typeof input !== 'string' || !skuSchema.safeParse(input).success)
    ctx.addIssue({ code: 'custom', message: `sku must be ${SKU_ACCEPTED}; got ${describeInput(input)}` });
});

const notAnObject = (what: string) => (issue: { readonly input?: unknown }) =>
  `${what} must be a JSON object; got ${describeInput(issue.input)}`;

const transferSchema = z
  .strictObject(
    { from: accountInBody('from'), to: accountInBody('to'), amount: quantity('amount') },
    { error: notAnObject('the body') },
  )
  .superRefine((body, ctx) => {
    if (body.from === body.to)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `to must be another account than from; got ${String(body.from)} for both`,
      });
  });

const jointSchema = z
  .strictObject(
    { account: accountInBody('account'), partner: accountInBody('partner'), amount: quantity('amount') },
    { error: notAnObject('the body') },
  )
  .superRefine((body, ctx) => {
    if (body.account === body.partner)
      ctx.addIssue({
        code: 'custom',
        path: ['partner'],
        message: `partner must be another account than account; got ${String(body.account)} for both`,
      });
  });

const basketSchema = z
  .strictObject(
    {
      items: z
        .array(
          z.strictObject({ sku: skuInBody, qty: quantity('qty') }, { error: notAnObject('each item') }),
          {
            error: (issue) =>
              issue.input === undefined
                ? 'items is required'
                : `items must be a JSON array; got ${describeInput(issue.input)}`,
          },
        )
        .min(1, `items must list 1 to ${MAX_BASKET_LINES} lines; got none`)
        .max(MAX_BASKET_LINES, `items must list 1 to ${MAX_BASKET_LINES} lines; got more`),
    },
    { error: notAnObject('the body') },
  )
  .superRefine(({ items }, ctx) => {
    const seen = new Set<unknown>();
    for (const [i, { sku }] of items.entries()) {
      if (seen.has(sku))
        ctx.addIssue({
          code: 'custom',
          path: ['items', i, 'sku'],
          message: `each sku may appear once; ${String(sku)} is there twice`,
        });
      seen.add(sku);
    }
  });

/** `items[1].qty`: a body path as the client wrote it. */
const fieldOf = (path: readonly PropertyKey[]): string =>
  path.length === 0
    ? 'body'
    : path
        .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`))
        .join('');

/** The first thing wrong with a body, as the field it is in, what was wrong, and what is accepted. */
const invalidBody = (
  error: z.ZodError,
  example: string,
  takes: Readonly<Record<string, string>>,
): InvalidInput => {
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => JSON.stringify(key)).join(', ');
    const known = issue.path.length === 0 ? Object.keys(takes) : ['sku', 'qty'];
    return {
      field: fieldOf([...issue.path, issue.keys[0] ?? '']),
      message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${keys}: ${issue.path.length === 0 ? 'the body' : fieldOf(issue.path)} takes only ${known.map((k) => `"${k}"`).join(', ')}`,
      accepted: example,
    };
  }
  const last = issue?.path.at(-1);
  return {
    field: fieldOf(issue?.path ?? []),
    message: issue?.message ?? 'invalid body',
    accepted: (typeof last === 'string' && takes[last]) || example,
  };
};

/** Validates `{ "from": id, "to": id, "amount": n }`: two different accounts and a positive safe integer. */
export const parseTransferBody = (body: unknown): Validated<{ from: number; to: number; amount: number }> => {
  const result = transferSchema.safeParse(body);
  if (result.success) return { ok: true, value: result.data as { from: number; to: number; amount: number } };
  return {
    ok: false,
    error: invalidBody(result.error, TRANSFER_EXAMPLE, {
      from: ACCOUNT_ACCEPTED,
      to: `${ACCOUNT_ACCEPTED}, not the same as from`,
      amount: AMOUNT_ACCEPTED,
    }),
  };
};

/** Validates `{ "account": id, "partner": id, "amount": n }`: two different accounts and a positive safe integer. */
export const parseJointWithdrawalBody = (
  body: unknown,
): Validated<{ account: number; partner: number; amount: number }> => {
  const result = jointSchema.safeParse(body);
  if (result.success)
    return { ok: true, value: result.data as { account: number; partner: number; amount: number } };
  return {
    ok: false,
    error: invalidBody(result.error, JOINT_EXAMPLE, {
      account: ACCOUNT_ACCEPTED,
      partner: `${ACCOUNT_ACCEPTED}, not the same as account`,
      amount: AMOUNT_ACCEPTED,
    }),
  };
};

/** Validates `{ "items": [{ "sku", "qty" }, …] }`: 1 to MAX_BASKET_LINES lines, each sku once, each qty positive. */
export const parseBasketBody = (body: unknown): Validated<BasketLine[]> => {
  const result = basketSchema.safeParse(body);
  if (result.success) return { ok: true, value: result.data.items as BasketLine[] };
  return {
    ok: false,
    error: invalidBody(result.error, BASKET_EXAMPLE, {
      items: `a JSON array of 1 to ${MAX_BASKET_LINES} {"sku", "qty"} objects with different skus`,
      sku: `${SKU_ACCEPTED}, each sku once per basket`,
      qty: AMOUNT_ACCEPTED,
    }),
  };
};
