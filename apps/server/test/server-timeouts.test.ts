import { afterEach, describe, expect, it } from 'vitest';
import { serverConfigFromEnv } from '../src/server-config.ts';
import { type ServerFixture, startServerFixture } from './lab-server-fixture.ts';
import { openRaw, parseRawReply } from './raw-http.ts';

// The timeouts bound how long a client may take to send; bad-input.test.ts shows requests that never
// finish arriving being cut. Here: the settings, and that the server's own slowness is never cut.

describe('timeout settings', () => {
  it('default to 5 s for headers, 10 s for a whole request and 5 s of keep-alive', () => {
    expect(serverConfigFromEnv({}).timeouts).toEqual({
      headersMs: 5_000,
      requestMs: 10_000,
      keepAliveMs: 5_000,
    });
    expect(
      serverConfigFromEnv({
        LAB_HEADERS_TIMEOUT_MS: '2000',
        LAB_REQUEST_TIMEOUT_MS: '3000',
        LAB_KEEP_ALIVE_TIMEOUT_MS: '700',
      }).timeouts,
    ).toEqual({ headersMs: 2_000, requestMs: 3_000, keepAliveMs: 700 });
  });

  it('refuses values it cannot use, naming the variable', () => {
    expect(() => serverConfigFromEnv({ LAB_REQUEST_TIMEOUT_MS: '0' })).toThrow(
      /LAB_REQUEST_TIMEOUT_MS must be an integer from 100 to 600000/,
    );
    expect(() => serverConfigFromEnv({ LAB_KEEP_ALIVE_TIMEOUT_MS: 'soon' })).toThrow(
      /LAB_KEEP_ALIVE_TIMEOUT_MS/,
    );
    expect(() => serverConfigFromEnv({ LAB_HEADERS_TIMEOUT_MS: '20000' })).toThrow(
      /LAB_HEADERS_TIMEOUT_MS \(20000\) must not exceed LAB_REQUEST_TIMEOUT_MS \(10000\)/,
    );
  });
});

describe('a server with short timeouts', () => {
  let fixture: ServerFixture | undefined;
  afterEach(async () => {
    await fixture?.close();
    fixture = undefined;
  });

  it('never cuts a request that has arrived, however long the lab takes to answer it', async () => {
    // Thirty withdrawals queue on one row lock, each holding it 100 ms: the last answers seconds
    // after it arrived, several times the request timeout.
    fixture = await startServerFixture(['select-for-update'], {
      LAB_HEADERS_TIMEOUT_MS: '300',
      LAB_REQUEST_TIMEOUT_MS: '300',
      LAB_RACE_WINDOW_MS: '100',
    });
    await fixture.server.labs
      .get('select-for-update')
      ?.store.reset({ accounts: [{ id: 1, balance: 40, version: 0 }], items: [] });
    const sent = performance.now();
    const replies = await Promise.all(
      Array.from({ length: 30 }, () =>
        fixture?.post('/labs/select-for-update/accounts/1/withdraw', { amount: 2 }),
      ),
    );
    const statuses = replies.map((reply) => reply?.status);
    // The premise: the queue really outlasted the timeout (20 holds of 100 ms each).
    expect(performance.now() - sent).toBeGreaterThan(1_000);
    expect(statuses.filter((status) => status === 200)).toHaveLength(20);
    expect(statuses.filter((status) => status === 409)).toHaveLength(10);
    expect((await fixture.get('/labs/select-for-update/accounts/1')).body).toMatchObject({ balance: 0 });
  });

  it('closes an idle kept-alive connection after LAB_KEEP_ALIVE_TIMEOUT_MS, with no 408', async () => {
    fixture = await startServerFixture(['update-returning'], { LAB_KEEP_ALIVE_TIMEOUT_MS: '300' });
    const connection = await openRaw(fixture.url);
    await connection.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    // Far below Node's own default of 5 s, so only the setting can close it in time.
    const { closedByServer, received } = await connection.closed(3_000);
    expect(closedByServer, received).toBe(true);
    expect(received.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    const reply = parseRawReply(received);
    expect(reply.status).toBe(200);
  });
});
