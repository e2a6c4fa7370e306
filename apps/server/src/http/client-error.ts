import { type IncomingMessage, maxHeaderSize, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { InvalidInput } from '../request-validation.ts';
import type { ClientTimeouts } from '../server-config.ts';

/** A complete response written on the socket itself: Node reports these errors below express. */
const rawReply = (status: number, statusText: string, body: Readonly<Record<string, unknown>>): string => {
  const text = JSON.stringify(body);
  return [
    `HTTP/1.1 ${status} ${statusText}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(text)}`,
    'Connection: close',
    '',
    text,
  ].join('\r\n');
};

const invalid = (status: number, statusText: string, invalid: InvalidInput): string =>
  rawReply(status, statusText, { error: 'invalid_request', ...invalid });

/**
 * The answer to an error Node's HTTP parser or its timeouts raised on a connection. `bodyPending`:
 * the request's headers had arrived (express was reading its body), so a timeout was the body's.
 */
const replyFor = (error: NodeJS.ErrnoException, bodyPending: boolean, timeouts: ClientTimeouts): string => {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT': {
      const [field, variable, ms] = bodyPending
        ? (['body', 'LAB_REQUEST_TIMEOUT_MS', timeouts.requestMs] as const)
        : (['headers', 'LAB_HEADERS_TIMEOUT_MS', timeouts.headersMs] as const);
      return rawReply(408, 'Request Timeout', {
        error: 'request_timeout',
        field,
        message: `the request's ${field} did not arrive within ${variable} (${ms} ms); the connection is closed and nothing was done`,
        accepted: `a request sent whole: headers within ${timeouts.headersMs} ms, all of it within ${timeouts.requestMs} ms`,
      });
    }
    case 'HPE_HEADER_OVERFLOW':
      return invalid(431, 'Request Header Fields Too Large', {
        field: 'headers',
        message: `the request's headers are larger than ${maxHeaderSize} bytes`,
        accepted: `headers of at most ${maxHeaderSize} bytes in all`,
      });
    default: {
      const reason = (error as { reason?: unknown }).reason;
      return invalid(400, 'Bad Request', {
        field: 'http',
        message: `not a valid HTTP/1.1 request: ${typeof reason === 'string' ? reason : (error.code ?? 'parse error')}`,
        accepted: 'an HTTP/1.1 request (RFC 9112)',
      });
    }
  }
};

/**
 * Answers what Node's HTTP layer refuses before express sees a request — malformed HTTP (400),
 * headers too large (431), a request still arriving when its timeout passes (408) — with the same
 * JSON bodies as every other refusal, then closes the connection. Nothing is written once the
 * response to a request on that connection has begun, as Node itself does, so no reply is corrupted.
 */
export const answerClientErrors = (server: Server, timeouts: ClientTimeouts): void => {
  const responding = new WeakMap<Socket, ServerResponse>();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    responding.set(req.socket, res);
    const done = () => {
      if (responding.get(req.socket) === res) responding.delete(req.socket);
    };
    res.once('finish', done);
    res.once('close', done);
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    const res = responding.get(socket);
    if (error.code !== 'ECONNRESET' && socket.writable && !res?.headersSent) {
      socket.write(replyFor(error, res !== undefined, timeouts));
    }
    socket.destroy();
  });
};
