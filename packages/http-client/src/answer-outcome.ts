import {
  type BasketLine,
  FAIL_REASONS,
  type FailReason,
  fail,
  info,
  type Outcome,
  ok,
  type Reservation,
  type ReservedLine,
  type TransferBalances,
} from '@concurrency-lab/model';
import type { HttpAnswer } from './http-pools.ts';

/** What an operation's 200 answer carries, and which refused body fields mean that nothing changed. */
export interface AnswerShape<V> {
  /**
   * The fail reason of a 400 that refuses `field` of the body this request sent (the server refused
   * it before any lab ran); undefined for any other field, whose refusal the client cannot explain.
   */
  refusedField(field: string): FailReason | undefined;
  /** Names the value, for messages. */
  readonly value: string;
  /** The value from a 200 body, or undefined when the body does not hold one. */
  read(body: Readonly<Record<string, unknown>>): V | undefined;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value);

/** A withdrawal's or deposit's answer: `{ "balance": <after>, "opId" }`. */
export const BALANCE_ANSWER: AnswerShape<number> = {
  refusedField: (field) => (field === 'amount' ? 'invalid_amount' : undefined),
  value: 'balance',
  read: (body) => (isCount(body.balance) ? body.balance : undefined),
};

/** A reservation's answer: `{ "available", "reserved", "opId" }`. */
export const RESERVATION_ANSWER: AnswerShape<Reservation> = {
  refusedField: (field) => (field === 'qty' ? 'invalid_amount' : undefined),
  value: 'available and reserved counts',
  read: ({ available, reserved }) =>
    isCount(available) && isCount(reserved) ? { available, reserved } : undefined,
};

/** A joint withdrawal's answer: `{ "balance": <after, of the account withdrawn from>, "opId" }`. */
export const JOINT_ANSWER: AnswerShape<number> = {
  refusedField: (field) =>
    field === 'amount'
      ? 'invalid_amount'
      : field === 'account' || field === 'partner'
        ? 'invalid_request'
        : undefined,
  value: 'balance',
  read: BALANCE_ANSWER.read,
};

const balanceOf = (side: unknown): number | undefined => {
  const balance = (side as { balance?: unknown } | null)?.balance;
  return isCount(balance) ? balance : undefined;
};

/** A transfer's answer: `{ "from": { "account", "balance" }, "to": { "account", "balance" }, "opId" }`. */
export const TRANSFER_ANSWER: AnswerShape<TransferBalances> = {
  refusedField: (field) =>
    field === 'amount'
      ? 'invalid_amount'
      : field === 'from' || field === 'to'
        ? 'invalid_request'
        : undefined,
  value: 'balances of both accounts',
  read: ({ from, to }) => {
    const [fromBalance, toBalance] = [balanceOf(from), balanceOf(to)];
    return fromBalance === undefined || toBalance === undefined
      ? undefined
      : { from: fromBalance, to: toBalance };
  },
};

const BASKET_FIELD = /^items(\[\d+\](\.(sku|qty))?)?$/;

/** A basket's answer: `{ "items": [{ "sku", "available", "reserved" }, …], "opId" }`, one per line. */
export const basketAnswer = (lines: readonly BasketLine[]): AnswerShape<readonly ReservedLine[]> => ({
  refusedField: (field) =>
    field.endsWith('.qty') && BASKET_FIELD.test(field)
      ? 'invalid_amount'
      : BASKET_FIELD.test(field)
        ? 'invalid_request'
        : undefined,
  value: 'counts of every line',
  read: ({ items }) => {
    if (!Array.isArray(items) || items.length !== lines.length) return undefined;
    const read = items.map((item, i) => {
      const { sku, available, reserved } = (item ?? {}) as Record<string, unknown>;
      return sku === lines[i]?.sku && isCount(available) && isCount(reserved)
        ? { sku, available, reserved }
        : undefined;
    });
    return read.every((line) => line !== undefined) ? (read as ReservedLine[]) : undefined;
  },
});

const asObject = (body: unknown): Readonly<Record<string, unknown>> =>
  body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};

/** The id the server gave the operation (its ledger row carries it), when the answer names one. */
export const serverOpIdOf = (answer: HttpAnswer): string | undefined => {
  const { opId } = asObject(answer.body);
  return typeof opId === 'string' && opId.length > 0 ? opId : undefined;
};

const isFailReason = (reason: unknown): reason is FailReason =>
  (FAIL_REASONS as readonly unknown[]).includes(reason);

/** The answer in a few words for an `info` error: status, the server's error code and message. */
const describe = (answer: HttpAnswer): string => {
  const { error, message } = asObject(answer.body);
  const said = [typeof error === 'string' ? error : '', typeof message === 'string' ? message : '']
    .filter(Boolean)
    .join(': ');
  const text = said || answer.text.trim().slice(0, 200) || 'an empty body';
  return `HTTP ${answer.status} ${text}`;
};

/**
 * Maps a served lab's answer back to the outcome the lab reported, as the server's routes map
 * outcomes to statuses. Only what the server states is believed: 200 with the value is `ok`;
 * 409 or 404 naming a reason the model knows, and 400 saying the quantity was refused, are `fail`.
 * Everything else (503, 500, another status, a reason the model does not know, a 200 without its
 * value) is `info`: the change may or may not have taken effect, and a guessed fail would let a
 * checker miss a change that did.
 */
export const outcomeOfAnswer = <V>(answer: HttpAnswer, shape: AnswerShape<V>): Outcome<V> => {
  const body = asObject(answer.body);
  const unknownEffect = (why: string): Outcome<never> =>
    info(`${why}; the change may or may not have taken effect`);
  switch (answer.status) {
    case 200: {
      const value = shape.read(body);
      return value === undefined
        ? unknownEffect(`HTTP 200 without the ${shape.value}: ${answer.text.trim().slice(0, 200)}`)
        : ok(value);
    }
    case 404:
    case 409: {
      const message = typeof body.message === 'string' ? body.message : undefined;
      return isFailReason(body.error) ? fail(body.error, message) : unknownEffect(describe(answer));
    }
    case 400: {
      // The server validates before any lab runs, so a refused field of this request changed
      // nothing; so does a refusal by the model's own checks (no field: the lab's answer).
      const message = typeof body.message === 'string' ? body.message : undefined;
      if (body.error === 'invalid_amount') return fail('invalid_amount', message);
      const reason = typeof body.field === 'string' ? shape.refusedField(body.field) : undefined;
      if (body.error === 'invalid_request' && reason) return fail(reason, message);
      if (body.error === 'invalid_request' && body.field === undefined)
        return fail('invalid_request', message);
      return unknownEffect(describe(answer));
    }
    default:
      return unknownEffect(describe(answer));
  }
};
