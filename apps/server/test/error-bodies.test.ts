import { redisKeys } from '@concurrency-lab/redis';
import { ServiceHub } from '@concurrency-lab/services';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withoutInternals } from '../src/http/public-text.ts';
import { type ServerFixture, startServerFixture } from './lab-server-fixture.ts';

// What a 5xx body may say: that a service is down, or that something failed, and where the details
// are; never the address of a service, a script's hash or a Lua line. The log keeps all of it.

/** A URL, an IP, a host:port, a 40-hex hash or a Lua location: none may reach a client. */
const INTERNAL = /:\/\/|\b\d{1,3}(\.\d{1,3}){3}\b|:\d{2,5}\b|\b[0-9a-f]{40}\b|user_script|\.lua:\d/i;

describe('withoutInternals', () => {
  it.each([
    [
      'a Redis URL with credentials',
      'Connection is closed. — Redis at redis://lab:secret@10.0.0.7:6379/0',
      'Connection is closed. — Redis at <address>',
    ],
    ['a socket error', 'connect ECONNREFUSED 127.0.0.1:5432', 'connect ECONNREFUSED <address>'],
    ['an IPv6 address', 'connect ECONNREFUSED [::1]:6379', 'connect ECONNREFUSED <address>'],
    [
      'cluster host names',
      'redlock-0.redlock:6379: connect ETIMEDOUT; postgres:5432 refused',
      '<address>: connect ETIMEDOUT; <address> refused',
    ],
    [
      'a host that does not resolve',
      'getaddrinfo ENOTFOUND postgres-primary',
      'getaddrinfo ENOTFOUND <address>',
    ],
    [
      'a Redis 7 Lua error',
      'ERR user_script:14: attempt to perform arithmetic on a nil value script: 2b1f0c6cfe0d5f3e9a1c1f0a1e4a56f0e3b4c7d1, on @user_script:14. — Redis at redis://127.0.0.1:40019',
      'ERR attempt to perform arithmetic on a nil value — Redis at <address>',
    ],
    [
      'an older Lua error',
      'ERR Error running script (call to f_2b1f0c6cfe0d5f3e9a1c1f0a1e4a56f0e3b4c7d1): @user_script:3: boom',
      'ERR Error running script: boom',
    ],
  ])('takes out %s', (_name, text, expected) => {
    expect(withoutInternals(text)).toBe(expected);
  });

  it.each([
    'account 12 has less than 20000; nothing was withdrawn',
    'lab:{server_redis_lock}:lock:account:12 is held by another client',
    '3 for, 0 held by another client, 2 not answering; quorum 3 of 5',
    'account id must be digits only, a whole number from 1 to 2147483647; got "  1e3"',
  ])('leaves alone %j', (text) => {
    expect(withoutInternals(text)).toBe(text);
  });
});

describe('error bodies over HTTP', () => {
  let fixture: ServerFixture | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await fixture?.close();
    fixture = undefined;
  });

  /** Everything the server writes to its log (stderr) while `body` runs. */
  const logged = async (body: () => Promise<void>): Promise<string> => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    await body();
    vi.restoreAllMocks();
    return lines.join('');
  };

  it('a Lua script that fails: no hash, no line, no Redis URL in the body; all of them in the log', async () => {
    fixture = await startServerFixture(['redis-lua']);
    const served = fixture.server.labs.get('redis-lua');
    const redis = served?.context.services.redis;
    if (!served || !redis) throw new Error('redis-lua is not served');
    await served.store.reset({ accounts: [{ id: 1, balance: 100, version: 0 }], items: [] });
    // A balance that is not a number: the script's arithmetic fails inside Redis, before any write.
    await redis.client.hset(redisKeys(served.context.namespace).account(1), 'balance', 'not-a-number');
    let status = 0;
    let text = '';
    const log = await logged(async () => {
      const reply = await fixture?.post('/labs/redis-lua/accounts/1/withdraw', { amount: 2 });
      status = reply?.status ?? 0;
      text = reply?.text ?? '';
    });
    expect(status, text).toBeGreaterThanOrEqual(500);
    expect(text).toMatch(/"error":"(service_unavailable|internal_error)"/);
    expect(text).not.toMatch(INTERNAL);
    expect(log).toMatch(/user_script:\d+/);
    expect(log).toMatch(/[0-9a-f]{40}/);
    expect(log).toContain(redis.url);
    expect(await served.store.readLedger()).toEqual([]);
  });

  it('a Redis that is down: 503 saying so, without its address', async () => {
    const saved = process.env.LAB_REDIS_URL;
    delete process.env.LAB_REDIS_URL;
    const hub = new ServiceHub();
    try {
      fixture = await startServerFixture(['redis-lua'], {}, hub);
      const url = await hub.redisUrl();
      expect((await fixture.reset('withdraw-storm')).status).toBe(200);
      await hub.close();
      let reply: Awaited<ReturnType<ServerFixture['post']>> | undefined;
      const log = await logged(async () => {
        reply = await fixture?.post('/labs/redis-lua/accounts/1/withdraw', { amount: 2 });
      });
      expect(reply?.status, reply?.text).toBe(503);
      expect(reply?.body).toMatchObject({ error: 'service_unavailable' });
      expect(String(reply?.body.reason)).toMatch(/^Redis is unavailable: /);
      expect(reply?.text).not.toMatch(INTERNAL);
      expect(log).toContain(url);
    } finally {
      process.env.LAB_REDIS_URL = saved;
    }
  });
});
