import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { DeadlineError, dispatchBuffered } from '../src/buffered-dispatch.ts';
import { HttpPools, openHttpSession } from '../src/index.ts';
import { json, opContext, type PlainServer, startPlainServer } from './plain-server.ts';

let server: PlainServer | undefined;
let pool: Pool | undefined;
afterEach(async () => {
  await pool?.close();
  await server?.close();
  server = undefined;
  pool = undefined;
});

describe('one request, its answer buffered', () => {
  it('reads the status and the whole body', async () => {
    server = await startPlainServer((_req, res) => json(res, 201, { balance: 7, note: 'é'.repeat(3000) }));
    pool = new Pool(server.url, { connections: 1 });
    const answer = await dispatchBuffered(pool, { method: 'GET', path: '/x' }, 5000);
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.text)).toEqual({ balance: 7, note: 'é'.repeat(3000) });
  });

  it('never sends a request whose deadline passed while it waited for a socket', async () => {
    // The one socket is busy with a slow first request for 600 ms; the second one's 150 ms deadline
    // passes in the queue, so it fails then, and is aborted when its turn comes instead of being written.
    server = await startPlainServer((req, res) => {
      if (req.url === '/slow') setTimeout(() => json(res, 200, { slow: true }), 600);
      else json(res, 200, { quick: true });
    });
    pool = new Pool(server.url, { connections: 1 });
    const settled: string[] = [];
    const slow = dispatchBuffered(pool, { method: 'GET', path: '/slow' }, 5000).finally(() =>
      settled.push('slow'),
    );
    const queued = dispatchBuffered(pool, { method: 'GET', path: '/queued' }, 150).finally(() =>
      settled.push('queued'),
    );
    await expect(queued).rejects.toBeInstanceOf(DeadlineError);
    expect((await slow).status).toBe(200);
    // It failed at its own deadline, not when the socket came free.
    expect(settled).toEqual(['queued', 'slow']);
    await sleep(200);
    expect(server.received.map((request) => request.url)).toEqual(['/slow']);
  });
});

describe('the client', () => {
  it('takes an answer larger than maxResponseBytes for no answer, naming the option', async () => {
    server = await startPlainServer((_req, res) => json(res, 200, { balance: 1, pad: 'x'.repeat(5000) }));
    const pools = new HttpPools({ maxResponseBytes: 1000 });
    try {
      const session = openHttpSession(pools, { baseUrl: server.url, lab: 'naive' });
      const outcome = await session.withdraw(1, 1, opContext('op-1'));
      expect(outcome.type).toBe('info');
      expect((outcome as { error: string }).error).toContain(
        'the answer was larger than 1000 bytes (maxResponseBytes)',
      );
    } finally {
      await pools.close();
    }
  });
});
