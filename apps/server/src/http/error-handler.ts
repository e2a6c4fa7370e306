import type { ErrorRequestHandler } from 'express';
import { replyForError } from '../outcome-response.ts';
import type { InvalidInput } from '../request-validation.ts';
import { errorDetail, type ServerLog } from '../server-log.ts';
import { pathEncodingRefusal } from './path-encoding.ts';
import { badRequest, send } from './send-reply.ts';

/** What to tell a client whose body body-parser refused, by the error's `type`; undefined for any other error. */
const bodyRefusal = (error: unknown, bodyLimitBytes: number): InvalidInput | undefined => {
  switch ((error as { type?: unknown }).type) {
    case 'entity.parse.failed':
      return {
        field: 'body',
        message: `the body is not valid JSON: ${String((error as Error).message).slice(0, 120)}`,
        accepted: 'a JSON object',
      };
    case 'entity.too.large':
      return {
        field: 'body',
        message: `the body is larger than ${bodyLimitBytes} bytes`,
        accepted: `a JSON object of at most ${bodyLimitBytes} bytes`,
      };
    case 'encoding.unsupported':
    case 'charset.unsupported':
    case 'request.size.invalid':
      return {
        field: 'body',
        message: String((error as Error).message).slice(0, 120),
        accepted: 'a UTF-8 JSON object',
      };
    default:
      return undefined;
  }
};

export interface ErrorHandlerOptions {
  /** The body limit the JSON reader enforces, for the message that refuses a larger body. */
  readonly bodyLimitBytes: number;
  readonly log: ServerLog;
}

/**
 * The last handler: a path that does not decode or a body that body-parser refused → 400 saying why;
 * a body cut off by the client (or by the request timeout, which has answered 408 already) → nothing
 * to answer; anything else is logged with its stack and answered by replyForError (503 when a backing
 * service is down, else 500 without details).
 */
export const errorHandler =
  ({ bodyLimitBytes, log }: ErrorHandlerOptions): ErrorRequestHandler =>
  (error, req, res, _next) => {
    const refusal = pathEncodingRefusal(error, req) ?? bodyRefusal(error, bodyLimitBytes);
    if (refusal) return badRequest(res, refusal);
    if ((error as { type?: unknown }).type === 'request.aborted') return;
    log(`unhandled: ${errorDetail(error)}`);
    if (res.headersSent) return;
    send(res, replyForError(error, undefined));
  };
