import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpExchange, HttpPools, openHttpSession, resolveHttpClientOptions } from '../src/index.ts';
import { json, opContext, type PlainServer, startPlainServer } from './plain-server.ts';

let server: PlainServer | undefined;
let pools: HttpPools | undefined;
afterEach(async () => {
  await pools?.close();
  await server?.close();
  server = undefined;
  pools = undefined;
});

const withdrawFrom = async (url: string, options: ConstructorParameters<typeof HttpPools>[0] = {}) => {
  pools = new HttpPools(options);
  const exchanges: HttpExchange[] = [];
  const session = openHttpSession(pools, {
    baseUrl: url,
    lab: 'update-returning',
    onExchange: (exchange) => exchanges.push(exchange),
  });
  const outcome = await session.withdraw(1, 2, opContext('op-1'));
  return { outcome, exchange: exchanges[0] };
};

// Each of these may have reached the lab and changed the balance: `info`, never `fail`.
describe('no complete answer is an unknown outcome', () => {
  it('when the server closes the socket after reading the request', async () => {
    server = await startPlainServer((_req, res) => res.socket?.destroy());
    const { outcome, exchange } = await withdrawFrom(server.url);
    expect(outcome.type).toBe('info');
    expect((outcome as { error: string }).error).toMatch(
      /POST http:\/\/127\.0\.0\.1:\d+\/labs\/update-returning\/accounts\/1\/withdraw: the server (closed|reset) the connection before its answer was complete .*may or may not have taken effect/,
    );
    expect(exchange).toMatchObject({ opId: 'op-1', status: undefined, serverOpId: undefined });
  });

  it('when the server dies halfway through a 200 answer', async () => {
    server = await startPlainServer((_req, res: ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '40' });
      res.write('{"balance": 8, "op');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const { outcome } = await withdrawFrom(server.url);
    expect(outcome.type).toBe('info');
    expect((outcome as { error: string }).error).toContain('before its answer was complete');
  });

  it('when the server never answers: info once the deadline passes', async () => {
    server = await startPlainServer(() => {});
    const { outcome } = await withdrawFrom(server.url, { timeoutMs: 300 });
    expect(outcome.type).toBe('info');
    expect((outcome as { error: string }).error).toContain('no complete answer within 300 ms (timeoutMs)');
    expect(server.received).toHaveLength(1);
  });

  it('when nothing listens on the port', async () => {
    // A port that was just free: bind it, note it, release it.
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as { port: number };
    probe.close();
    await once(probe, 'close');
    const { outcome } = await withdrawFrom(`http://127.0.0.1:${port}`);
    expect(outcome.type).toBe('info');
    expect((outcome as { error: string }).error).toContain('connection refused');
  });
});

describe('the pool', () => {
  it('keeps to its connection limit however many operations run at once', async () => {
    const connections = 4;
    const waiting: Array<() => void> = [];
    // Holds every answer until `connections` requests are in flight, so an unbounded pool would
    // be seen opening a socket for each of the 48 operations.
    server = await startPlainServer((_req, res) => {
      waiting.push(() => json(res, 200, { balance: 1, opId: 'r0-1' }));
      if (waiting.length === connections) for (const answer of waiting.splice(0)) answer();
    });
    pools = new HttpPools({ connections });
    const session = openHttpSession(pools, { baseUrl: server.url, lab: 'naive' });
    const outcomes = await Promise.all(
      Array.from({ length: 48 }, (_, i) => session.withdraw(1, 1, opContext(`op-${i}`))),
    );
    expect(outcomes.every((outcome) => outcome.type === 'ok')).toBe(true);
    expect(server.received).toHaveLength(48);
    expect(server.sockets.size).toBe(connections);
  });

  it('refuses options out of range, naming the option and what it accepts', () => {
    expect(resolveHttpClientOptions()).toEqual({
      connections: 100,
      timeoutMs: 60_000,
      connectTimeoutMs: 5_000,
      maxResponseBytes: 1_048_576,
    });
    expect(() => new HttpPools({ connections: 0 })).toThrow(
      'connections must be an integer from 1 to 10000; got 0',
    );
    expect(() => new HttpPools({ timeoutMs: 1.5 })).toThrow(
      'timeoutMs must be an integer from 1 to 3600000; got 1.5',
    );
    expect(() => new HttpPools({ connectTimeoutMs: Number.NaN })).toThrow(
      /connectTimeoutMs must be an integer/,
    );
  });

  it('refuses a base URL that is not plain http(s)', () => {
    const plain = new HttpPools();
    for (const url of ['127.0.0.1:8080', 'ftp://127.0.0.1', 'http://127.0.0.1:8080/?x=1', 'not a url'])
      expect(() => openHttpSession(plain, { baseUrl: url, lab: 'naive' }), url).toThrow(
        /base URL must be an http:\/\/ or https:\/\/ URL with a host/,
      );
  });

  it('keeps a path prefix of the base URL', async () => {
    server = await startPlainServer((_req, res) => json(res, 200, { balance: 3 }));
    const { outcome } = await withdrawFrom(`${server.url}/lab-server/`);
    expect(outcome).toEqual({ type: 'ok', value: 3 });
    expect(server.received[0]?.url).toBe('/lab-server/labs/update-returning/accounts/1/withdraw');
  });
});
