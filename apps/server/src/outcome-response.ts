import type { ChangeRequest, OpValue } from '@concurrency-lab/harness';
import {
  type FailReason,
  httpStatusOf,
  MAX_VALUE,
  type Outcome,
  type Reservation,
  type TransferBalances,
} from '@concurrency-lab/model';
import { PoolExhaustedError } from '@concurrency-lab/postgres';

/** A response as the routes send it: a status and a JSON body. */
export interface HttpReply {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  /** Extra headers (Retry-After for a 503). */
  readonly headers?: Readonly<Record<string, string>>;
}

const subjectText = (request: ChangeRequest): string => {
  switch (request.kind) {
    case 'reserve':
      return `item ${request.sku}`;
    case 'transfer':
      return `accounts ${request.from} and ${request.to}`;
    case 'basket':
      return `items ${request.lines.map((line) => line.sku).join(', ')}`;
    case 'withdraw-joint':
      return `accounts ${request.accountId} and ${request.partnerId}`;
    default:
      return `account ${request.accountId}`;
  }
};

/** What was asked for, in the words of a refusal: "2", or "the quantities of its lines". */
const askedText = (request: ChangeRequest): string =>
  request.kind === 'reserve'
    ? `${request.qty}`
    : request.kind === 'basket'
      ? 'its line asks for'
      : `${request.amount}`;

const failMessage = (reason: FailReason, request: ChangeRequest): string => {
  const subject = subjectText(request);
  const nothing =
    request.kind === 'transfer'
      ? 'nothing was transferred'
      : request.kind === 'basket'
        ? 'nothing was reserved'
        : request.kind === 'withdraw-joint'
          ? 'nothing was withdrawn'
          : '';
  switch (reason) {
    case 'insufficient_funds':
      return request.kind === 'transfer'
        ? `account ${request.from} has less than ${request.amount}; ${nothing}`
        : request.kind === 'withdraw-joint'
          ? `${subject} together have less than ${request.amount}; ${nothing}`
          : `${subject} has less than ${askedText(request)}; nothing was withdrawn`;
    case 'out_of_stock':
      return request.kind === 'basket'
        ? `an item of ${subject} has fewer available than its line asks for; ${nothing}`
        : `${subject} has fewer than ${askedText(request)} available; nothing was reserved`;
    case 'not_found':
      return request.kind === 'transfer' || request.kind === 'basket' || request.kind === 'withdraw-joint'
        ? `one of ${subject} does not exist; ${nothing}`
        : `${subject} does not exist`;
    case 'invalid_amount':
      return 'the amount must be a positive safe integer';
    case 'limit_exceeded':
      return `${subject} would pass ${MAX_VALUE} (Number.MAX_SAFE_INTEGER), the largest value kept; nothing changed`;
    case 'invalid_request':
      return `the request for ${subject} contradicts itself; nothing changed`;
    case 'conflict_retries_exhausted':
      return `${subject} kept changing under this request; it gave up after its retries and changed nothing`;
    case 'deadlock':
      return `${subject}: the database chose this request as a deadlock victim on every try; nothing changed`;
    case 'lock_unavailable':
      return `the lock on ${subject} could not be acquired in time; nothing changed`;
    case 'quorum_unavailable':
      return `too few Redlock nodes answered to lock ${subject}; nothing changed`;
    case 'stale_token':
      return `the lock on ${subject} expired while this request held it and another client used the row, so its fencing token was refused; nothing changed`;
  }
};

/**
 * The value an ok change reports: the balance after it, the item's counts after it, both accounts'
 * balances after a transfer, or every line's item counts after a basket.
 */
const okBody = (value: OpValue, request: ChangeRequest, opId: string): Record<string, unknown> => {
  if (request.kind === 'transfer') {
    const after = value as TransferBalances;
    return {
      from: { account: request.from, balance: after.from },
      to: { account: request.to, balance: after.to },
      opId,
    };
  }
  if (request.kind === 'basket') return { items: value, opId };
  return typeof value === 'number' ? { balance: value, opId } : { ...(value as Reservation), opId };
};

/**
 * Maps a lab's outcome to a response: ok → 200 with the resulting value; each failure to its
 * status (httpStatusOf, from the model's table of fail reasons) with `{ error: <reason>, message }`; an `info` outcome (effect unknown) to
 * 500 or 503 by `isUnavailable` of the exception behind it.
 */
export const replyForOutcome = (
  outcome: Outcome<OpValue>,
  request: ChangeRequest,
  opId: string,
  error?: unknown,
): HttpReply => {
  switch (outcome.type) {
    case 'ok':
      return { status: 200, body: okBody(outcome.value, request, opId) };
    case 'fail': {
      const status = httpStatusOf(outcome.reason);
      const message = outcome.message ?? failMessage(outcome.reason, request);
      return status === 503
        ? {
            status,
            body: { error: outcome.reason, message, reason: message },
            headers: { 'Retry-After': '1' },
          }
        : { status, body: { error: outcome.reason, message } };
    }
    case 'info':
      return replyForError(error ?? new Error(outcome.error), opId);
  }
};

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // Postgres: shutting down, crashed, starting up, too many connections.
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);

const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  // pg: a query on a client whose connection the server has already closed.
  /not queryable/i,
  /timeout exceeded when trying to connect/i,
  /connection is closed/i,
  /connect ECONNREFUSED/i,
  /stream isn't writeable/i,
  /max(imum)? .*retries/i,
  /command timed out/i,
  /Cannot use a pool after calling end/i,
];

/** The service an error names, for the 503 reason. */
const serviceOf = (text: string): string => (/redis|redlock/i.test(text) ? 'Redis' : 'Postgres');

/**
 * True when `error` (or any error in its `cause` chain) says a backing service is unreachable,
 * closed the connection, refused it, or did not answer in time: that is a 503, not a bug.
 */
export const isUnavailable = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
    if (name === 'RedisUnavailableError') return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message)))
      return true;
  }
  return false;
};

/** The PoolExhaustedError in `error`'s cause chain, if any. */
const poolExhaustion = (error: unknown): PoolExhaustedError | undefined => {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof PoolExhaustedError) return e;
  }
  return undefined;
};

/** First line of a message, bounded: enough to say what is down, never a stack or a dump. */
const firstLine = (text: string): string => (text.split('\n')[0] ?? '').slice(0, 200);

/**
 * Maps an exception thrown while serving a request: no pool connection free in time → 503
 * `pool_exhausted` naming the settings to raise; a backing service that is down → 503 with the
 * reason; anything else → 500 with a generic message and the op id (the details go to the log,
 * never to the client: no stack traces, no SQL). Either way the change's effect is unknown.
 */
export const replyForError = (error: unknown, opId: string | undefined): HttpReply => {
  const text = error instanceof Error ? error.message : String(error);
  const exhausted = poolExhaustion(error);
  if (exhausted) {
    // Postgres is fine; this replica ran out of connections to it. The message names the settings.
    return {
      status: 503,
      body: {
        error: 'pool_exhausted',
        message: `${exhausted.message}. The change may or may not have taken effect.`,
        reason: exhausted.message,
        ...(opId ? { opId } : {}),
      },
      headers: { 'Retry-After': '1' },
    };
  }
  if (isUnavailable(error)) {
    const reason = `${serviceOf(text)} is unavailable: ${firstLine(text)}`;
    return {
      status: 503,
      body: {
        error: 'service_unavailable',
        message: `${reason}. The change may or may not have taken effect.`,
        reason,
        ...(opId ? { opId } : {}),
      },
      headers: { 'Retry-After': '1' },
    };
  }
  return {
    status: 500,
    body: {
      error: 'internal_error',
      message: `unexpected error; the change may or may not have taken effect.${opId ? ` The server log has the details under op ${opId}.` : ''}`,
      ...(opId ? { opId } : {}),
    },
  };
};
