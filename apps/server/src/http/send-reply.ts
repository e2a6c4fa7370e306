import type { Response } from 'express';
import type { HttpReply } from '../outcome-response.ts';
import type { InvalidInput } from '../request-validation.ts';
import { publicValue } from './public-text.ts';

/**
 * Sends `reply`: its extra headers, its status and its JSON body, with every string in the body
 * cleared of internal addresses, script hashes and Lua line numbers. This is the one place that is
 * done: every refusal and every error reply goes out through here (the log keeps the full text).
 */
export const send = (res: Response, reply: HttpReply): void => {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.status(reply.status).json(publicValue(reply.body));
};

/** Refuses a request with 400 `{ error: "invalid_request", field, message, accepted }`. */
export const badRequest = (res: Response, invalid: InvalidInput): void =>
  send(res, { status: 400, body: { error: 'invalid_request', ...invalid } });
