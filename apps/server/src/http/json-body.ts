import express, { type Request, type Response } from 'express';
import { quoted, type Validated } from '../request-validation.ts';

/**
 * Reads a request's JSON body. Resolves with the parsed body (undefined when there is none), or with
 * the refusal of a content type other than JSON; rejects with body-parser's error (malformed JSON, a
 * body too large, an unsupported charset or encoding), which the error handler answers.
 */
export type JsonBodyReader = (req: Request, res: Response) => Promise<Validated<unknown>>;

/**
 * The reader of JSON bodies of at most `limitBytes`. A route calls it after checking its path, so that
 * a request for an unknown lab or a bad id is refused for that, whatever its body.
 */
export const jsonBodyReader = (limitBytes: number): JsonBodyReader => {
  // Only JSON, only small bodies: a request for one change never needs more.
  const parseJson = express.json({ limit: limitBytes, strict: true, type: 'application/json' });
  return async (req, res) => {
    // An empty body is a missing body whatever its content type says (body-parser would make it {}).
    if (req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined) {
      return { ok: true, value: undefined };
    }
    if (req.is('application/json') === false) {
      return {
        ok: false,
        error: {
          field: 'content-type',
          message: `Content-Type must be application/json; got ${quoted(req.headers['content-type'] ?? '')}`,
          accepted: 'application/json',
        },
      };
    }
    return await new Promise((resolve, reject) => {
      parseJson(req, res, (error?: unknown) => {
        if (error) reject(error);
        else resolve({ ok: true, value: req.body });
      });
    });
  };
};
