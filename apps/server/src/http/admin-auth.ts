import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { send } from './send-reply.ts';

/** A bearer token compared in constant time (hashing first makes the lengths equal). */
const tokenMatches = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  );

/**
 * Guards an admin route: 403 `admin_disabled` when no admin token is configured, 401 `unauthorized`
 * (with `WWW-Authenticate: Bearer`) unless the request carries `Authorization: Bearer <token>`.
 * `route` (for example `POST /admin/reset`) is named in the 401 message.
 */
export const adminAuth =
  (adminToken: string | undefined, route: string): RequestHandler =>
  (req, res, next) => {
    if (adminToken === undefined) {
      send(res, {
        status: 403,
        body: {
          error: 'admin_disabled',
          message: 'admin routes are disabled: start the server with LAB_ADMIN_TOKEN set',
        },
      });
      return;
    }
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (given === undefined || !tokenMatches(given, adminToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      send(res, {
        status: 401,
        body: { error: 'unauthorized', message: `${route} needs "Authorization: Bearer <LAB_ADMIN_TOKEN>"` },
      });
      return;
    }
    next();
  };
