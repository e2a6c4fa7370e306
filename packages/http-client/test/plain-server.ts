import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { OpContext } from '@concurrency-lab/model';

/** A request as the plain server received it. */
export interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

export type Handler = (request: Received, res: ServerResponse) => void;

export interface PlainServer {
  readonly url: string;
  readonly received: Received[];
  /** Every socket a client opened to it, open or closed. */
  readonly sockets: Set<Socket>;
  /** Answers the requests after this call. */
  answer(handler: Handler): void;
  close(): Promise<void>;
}

/** Sends `body` as JSON with `status`. */
export const json = (res: ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

/**
 * A node:http server on a free loopback port whose answers the test chooses: statuses the real
 * server would give, and the faults it cannot be made to give on demand (a socket cut mid-answer,
 * no answer at all).
 */
export const startPlainServer = async (handler: Handler = (_req, res) => json(res, 200, {})) => {
  let current = handler;
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(request);
      current(request, res);
    });
  });
  server.on('connection', (socket) => sockets.add(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const plain: PlainServer = {
    url: `http://127.0.0.1:${port}`,
    received,
    sockets,
    answer: (next) => {
      current = next;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
  return plain;
};

/** The hooks of one operation, as the harness would hand them (nothing to count here). */
export const opContext = (id: string): OpContext => ({
  id,
  raceWindow: async () => {},
  conflict: () => {},
  retry: () => {},
  waited: () => {},
  deadlock: () => {},
});
