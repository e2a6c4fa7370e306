import type { RequestHandler } from 'express';

/** Answers with `Connection: close` while `closing()` is true. */
export const closeConnectionsWhile =
  (closing: () => boolean): RequestHandler =>
  (_req, res, next) => {
    // While shutting down, finish this request but let the client reconnect elsewhere.
    if (closing()) res.setHeader('Connection', 'close');
    next();
  };
