import { OP_KEY_HEADER } from '@concurrency-lab/harness';
import { Pool } from 'undici';
import { dispatchBuffered } from './buffered-dispatch.ts';

/** How the client talks to servers; every field has a default (HTTP_CLIENT_DEFAULTS). */
export interface HttpClientOptions {
  /**
   * Most sockets open to one origin. Requests beyond it wait in that origin's queue for a free
   * socket, so thousands of simultaneous operations share this many keep-alive connections.
   */
  readonly connections?: number;
  /**
   * Deadline of one request, from the call (time queued for a socket included) to the last byte of
   * the answer: an operation that misses it becomes `info`, since it may still be applied.
   */
  readonly timeoutMs?: number;
  /** Deadline for opening a TCP connection. */
  readonly connectTimeoutMs?: number;
  /** Largest answer body accepted; the server's answers are a few hundred bytes. */
  readonly maxResponseBytes?: number;
}

/**
 * The defaults. 100 connections: the default concurrency of the withdraw-storm, so a default
 * storm has every client's request in flight at once, as in process, while larger runs share
 * them (and several replicas' pools stay far below a 1024-descriptor limit). 60 s: above the
 * longest wait a served lab may make on purpose (a lock's 30 s acquire timeout, the Postgres
 * pool's 10 s queue), so a slow but working server is not taken for a dead one.
 */
export const HTTP_CLIENT_DEFAULTS: Readonly<Required<HttpClientOptions>> = {
  connections: 100,
  timeoutMs: 60_000,
  connectTimeoutMs: 5_000,
  maxResponseBytes: 1024 * 1024,
};

const LIMITS: Readonly<Record<keyof HttpClientOptions, readonly [number, number]>> = {
  connections: [1, 10_000],
  timeoutMs: [1, 3_600_000],
  connectTimeoutMs: [1, 600_000],
  maxResponseBytes: [1, 1024 * 1024 * 1024],
};

/** Options with the defaults filled in; a value out of range throws a RangeError saying what is accepted. */
export const resolveHttpClientOptions = (options: HttpClientOptions = {}): Required<HttpClientOptions> => {
  const resolved = { ...HTTP_CLIENT_DEFAULTS, ...options };
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const value = resolved[name as keyof HttpClientOptions];
    if (!Number.isSafeInteger(value) || value < min || value > max)
      throw new RangeError(`${name} must be an integer from ${min} to ${max}; got ${String(value)}`);
  }
  return resolved;
};

/** Where a served lab lives: the origin that picks the pool, and a path prefix (often empty). */
export interface BaseUrl {
  readonly origin: string;
  readonly prefix: string;
  /** As given, without a trailing slash: for messages. */
  readonly text: string;
}

/** Parses a server's base URL (`http://127.0.0.1:8080`), refusing anything but plain http(s). */
export const parseBaseUrl = (baseUrl: string): BaseUrl => {
  const accepted =
    'an http:// or https:// URL with a host and no query or fragment, e.g. http://127.0.0.1:8080';
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`base URL must be ${accepted}; got ${JSON.stringify(baseUrl)}`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash || url.username)
    throw new TypeError(`base URL must be ${accepted}; got ${JSON.stringify(baseUrl)}`);
  const prefix = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, prefix, text: `${url.origin}${prefix}` };
};

/** A request as the client sends it: a JSON body, or none. */
export interface HttpRequest {
  readonly method: 'GET' | 'POST';
  /** Below the base URL's prefix, starting with `/`; segments already encoded. */
  readonly path: string;
  readonly json?: unknown;
  readonly bearer?: string;
  /** The operation's key, sent in the Lab-Op-Key header: the server puts it in the op's id. */
  readonly opKey?: string;
}

/** An answer: its status, the body parsed as JSON (undefined when it is not JSON), and the raw text. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

/** No complete answer arrived: refused, reset, cut mid-body, or too late. The request may have been applied. */
export class HttpTransportError extends Error {
  override readonly name = 'HttpTransportError';
  /** The underlying error code (`ECONNREFUSED`, `UND_ERR_SOCKET`, `timeout`, …). */
  readonly code: string;

  constructor(message: string, code: string, cause: unknown) {
    super(message, { cause });
    this.code = code;
  }
}

const codeOf = (error: unknown): string => {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR') return code;
  }
  return 'unknown';
};

/**
 * One bounded keep-alive pool per origin, shared by every session and store that talks to it.
 * Close it once, after the sessions are done: it owns the sockets.
 */
export class HttpPools {
  readonly options: Readonly<Required<HttpClientOptions>>;
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  constructor(options: HttpClientOptions = {}) {
    this.options = resolveHttpClientOptions(options);
  }

  #poolFor(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (!pool) {
      const { connections, timeoutMs, connectTimeoutMs, maxResponseBytes } = this.options;
      pool = new Pool(origin, {
        connections,
        connect: { timeout: connectTimeoutMs },
        // dispatchBuffered's deadline bounds the whole request; these keep undici's own 300 s out of the way.
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        maxResponseSize: maxResponseBytes,
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /**
   * Sends one request and reads its whole answer. Never retries: a change sent twice could be
   * applied twice. Throws HttpTransportError when no complete answer arrives in time.
   */
  async send(base: BaseUrl, request: HttpRequest): Promise<HttpAnswer> {
    const target = `${request.method} ${base.text}${request.path}`;
    if (this.#closed) throw new Error(`${target}: the client's connection pools are closed`);
    const { timeoutMs, connectTimeoutMs, maxResponseBytes } = this.options;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    if (request.bearer !== undefined) headers.authorization = `Bearer ${request.bearer}`;
    if (request.opKey !== undefined) headers[OP_KEY_HEADER] = request.opKey;
    try {
      const { status, text } = await dispatchBuffered(
        this.#poolFor(base.origin),
        {
          method: request.method,
          path: `${base.prefix}${request.path}`,
          headers,
          body: request.json === undefined ? null : JSON.stringify(request.json),
        },
        timeoutMs,
      );
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status, body, text };
    } catch (error) {
      const code = codeOf(error);
      const why: Record<string, string> = {
        timeout: `no complete answer within ${timeoutMs} ms (timeoutMs)`,
        UND_ERR_HEADERS_TIMEOUT: `no complete answer within ${timeoutMs} ms (timeoutMs)`,
        UND_ERR_BODY_TIMEOUT: `no complete answer within ${timeoutMs} ms (timeoutMs)`,
        UND_ERR_CONNECT_TIMEOUT: `no connection within ${connectTimeoutMs} ms (connectTimeoutMs)`,
        ECONNREFUSED: 'connection refused: nothing listens there',
        ECONNRESET: 'the server reset the connection before its answer was complete',
        UND_ERR_SOCKET: 'the server closed the connection before its answer was complete',
        UND_ERR_RES_EXCEEDED_MAX_SIZE: `the answer was larger than ${maxResponseBytes} bytes (maxResponseBytes)`,
      };
      const detail = why[code] ?? (error instanceof Error ? error.message : String(error));
      throw new HttpTransportError(`${target}: ${detail} [${code}]`, code, error);
    }
  }

  /** Closes every pool, letting requests in flight finish. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.allSettled(pools.map((pool) => pool.close()));
  }
}
