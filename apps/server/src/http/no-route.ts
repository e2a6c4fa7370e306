import type { RequestHandler } from 'express';
import { send } from './send-reply.ts';

/** The fallback after every route: 404 `no_route`, pointing at where the routes are listed. */
export const noRoute: RequestHandler = (req, res) => {
  send(res, {
    status: 404,
    body: {
      error: 'no_route',
      message: `no route ${req.method} ${req.path.slice(0, 100)}; see GET /labs for the labs and the README of apps/server for the routes`,
    },
  });
};
