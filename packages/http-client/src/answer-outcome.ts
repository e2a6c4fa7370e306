import {
  FAIL_REASONS,
  type FailReason,
  fail,
  info,
  type Outcome,
  ok,
  type Reservation,
} from '@concurrency-lab/model';
import type { HttpAnswer } from './http-pools.ts';

/** What an operation's 200 answer carries, and the body field that holds its quantity. */
export interface AnswerShape<V> {
  /** `amount` (withdraw, deposit) or `qty` (reserve): the field the request sent. */
  readonly field: 'amount' | 'qty';
  /** Names the value, for messages. */
  readonly value: string;
  /** The value from a 200 body, or undefined when the body does not hold one. */
  read(body: Readonly<Record<string, unknown>>): V | undefined;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value);

/** A withdrawal's or deposit's answer: `{ "balance": <after>, "opId" }`. */
export const BALANCE_ANSWER: AnswerShape<number> = {
  field: 'amount',
  value: 'balance',
  read: (body) => (isCount(body.balance) ? body.balance : undefined),
};

/** A reservation's answer: `{ "available", "reserved", "opId" }`. */
export const RESERVATION_ANSWER: AnswerShape<Reservation> = {
  field: 'qty',
  value: 'available and reserved counts',
  read: ({ available, reserved }) =>
    isCount(available) && isCount(reserved) ? { available, reserved } : undefined,
};

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
      // The server validates before any lab runs, so a refused quantity changed nothing.
      const message = typeof body.message === 'string' ? body.message : undefined;
      if (body.error === 'invalid_amount') return fail('invalid_amount', message);
      if (body.error === 'invalid_request' && body.field === shape.field)
        return fail('invalid_amount', message);
      return unknownEffect(describe(answer));
    }
    default:
      return unknownEffect(describe(answer));
  }
};
