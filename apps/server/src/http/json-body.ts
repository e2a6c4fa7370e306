import express, { type Request, type Response } from 'express';
import { type InvalidInput, quoted, type Validated } from '../request-validation.ts';
import { firstDuplicateKey } from './duplicate-json-key.ts';

/**
 * Reads a request's JSON body. Resolves with the parsed body (undefined when there is none), or with
 * the refusal of a content type other than UTF-8 JSON, of a Content-Encoding other than identity, or
 * of a body with a duplicate key; rejects with body-parser's error (malformed JSON, a body too large),
 * which the error handler answers.
 */
export type JsonBodyReader = (req: Request, res: Response) => Promise<Validated<unknown>>;

const refused = (error: InvalidInput): Validated<unknown> => ({ ok: false, error });

/** The charset parameter of a Content-Type, lower-cased; undefined when there is none. */
const charsetOf = (contentType: string): string | undefined =>
  /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(contentType)?.[1]?.toLowerCase();

/**
 * The reader of JSON bodies of at most `limitBytes`. A route calls it after checking its path, so that
 * a request for an unknown lab or a bad id is refused for that, whatever its body.
 */
export const jsonBodyReader = (limitBytes: number): JsonBodyReader => {
  // The body as received, kept for the duplicate-key scan: JSON.parse has already dropped them.
  const received = new WeakMap<object, string>();
  // Only JSON, only small bodies, never compressed: a request for one change never needs more, and
  // inflating would hand every client a decompressor to feed.
  const parseJson = express.json({
    limit: limitBytes,
    strict: true,
    type: 'application/json',
    inflate: false,
    verify: (req, _res, buffer) => {
      received.set(req, buffer.toString('utf8'));
    },
  });
  return async (req, res) => {
    // An empty body is a missing body whatever its content type says (body-parser would make it {}).
    if (req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined) {
      return { ok: true, value: undefined };
    }
    const contentType = req.headers['content-type'] ?? '';
    if (req.is('application/json') === false) {
      return refused({
        field: 'content-type',
        message: `Content-Type must be application/json; got ${quoted(contentType)}`,
        accepted: 'application/json',
      });
    }
    // RFC 8259: JSON between systems is UTF-8; the duplicate-key scan reads the bytes as UTF-8 too.
    const charset = charsetOf(contentType);
    if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
      return refused({
        field: 'content-type',
        message: `the charset must be utf-8; got ${quoted(charset)}`,
        accepted: 'application/json, with no charset or charset=utf-8',
      });
    }
    const encoding = req.headers['content-encoding'] ?? '';
    if (encoding.trim() !== '' && encoding.trim().toLowerCase() !== 'identity') {
      return refused({
        field: 'content-encoding',
        message: `Content-Encoding ${quoted(encoding)} is not supported: send the JSON body as it is, uncompressed`,
        accepted: 'identity (or no Content-Encoding header)',
      });
    }
    const value = await new Promise<unknown>((resolve, reject) => {
      parseJson(req, res, (error?: unknown) => {
        if (error) reject(error);
        else resolve(req.body);
      });
    });
    const duplicate = firstDuplicateKey(received.get(req) ?? '');
    if (duplicate) {
      return refused({
        field: duplicate.path,
        message: `the key ${quoted(duplicate.key)} appears more than once${duplicate.path === duplicate.key ? '' : ` (at ${duplicate.path})`}; the body is refused rather than one of its values guessed`,
        accepted: 'a JSON object with each key once',
      });
    }
    return { ok: true, value };
  };
};
