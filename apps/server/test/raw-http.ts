import { once } from 'node:events';
import { connect, type Socket } from 'node:net';

// A client library normalises what it sends (it re-encodes a path, refuses some headers, always
// finishes a body), so the malformed requests here are written byte for byte on a plain socket.

/** What came back on a raw connection: the status line's code, headers, body, and whether the server closed it. */
export interface RawReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly text: string;
  /** The body parsed as JSON, or {} when it is not JSON (or empty). */
  readonly body: Record<string, unknown>;
  /** Everything received, status line included. */
  readonly raw: string;
}

/** Parses one HTTP/1.1 response (the first, when the server sent several). */
export const parseRawReply = (raw: string): RawReply => {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw : raw.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let text = end === -1 ? '' : raw.slice(end + 4);
  const length = Number(headers['content-length']);
  if (Number.isSafeInteger(length)) text = Buffer.from(text).subarray(0, length).toString();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the test asserts on `text` then.
  }
  return { status: Number(statusLine.split(' ')[1]), headers, text, body, raw };
};

/** A raw connection to the server at `url` that collects what it receives until the server closes it. */
export interface RawConnection {
  readonly socket: Socket;
  write(chunk: string | Buffer): Promise<void>;
  /** Resolves once the server has closed the connection (or `boundMs` passed), with all it sent. */
  closed(boundMs: number): Promise<{ readonly closedByServer: boolean; readonly received: string }>;
}

export const openRaw = async (url: string): Promise<RawConnection> => {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  await once(socket, 'connect');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  let serverClosed = false;
  const ended = new Promise<void>((resolve) => {
    socket.once('close', () => {
      serverClosed = true;
      resolve();
    });
  });
  socket.on('error', () => {});
  return {
    socket,
    write: (chunk) =>
      new Promise((resolve, reject) => socket.write(chunk, (error) => (error ? reject(error) : resolve()))),
    closed: async (boundMs) => {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([ended, new Promise((resolve) => (timer = setTimeout(resolve, boundMs)))]);
      clearTimeout(timer);
      const closedByServer = serverClosed;
      socket.destroy();
      return { closedByServer, received: Buffer.concat(chunks).toString() };
    },
  };
};

/**
 * Sends `request` exactly as given on a fresh connection and returns the server's reply. The request
 * should carry `Connection: close`, so that the server ends the connection after answering.
 */
export const sendRaw = async (url: string, request: string | Buffer): Promise<RawReply> => {
  const connection = await openRaw(url);
  await connection.write(request);
  const { closedByServer, received } = await connection.closed(10_000);
  if (!closedByServer)
    throw new Error(`the server kept the connection open after: ${received.slice(0, 200)}`);
  return parseRawReply(received);
};

/** A complete request as bytes: request line, Host, Connection: close, the given headers and body. */
export const rawRequest = (
  method: string,
  path: string,
  options: { readonly headers?: Readonly<Record<string, string>>; readonly body?: string | Buffer } = {},
): Buffer => {
  const body = options.body === undefined ? undefined : Buffer.from(options.body);
  const headers: Record<string, string> = { host: '127.0.0.1', connection: 'close', ...options.headers };
  if (body !== undefined && headers['content-length'] === undefined)
    headers['content-length'] = String(body.length);
  const head = [
    `${method} ${path} HTTP/1.1`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head), body ?? Buffer.alloc(0)]);
};
