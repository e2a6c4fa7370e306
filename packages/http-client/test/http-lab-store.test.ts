import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpLabError, HttpLabStore, HttpPools } from '../src/index.ts';
import { json, type PlainServer, startPlainServer } from './plain-server.ts';

let server: PlainServer;
const pools = new HttpPools();
let store: HttpLabStore;

beforeAll(async () => {
  server = await startPlainServer();
  store = new HttpLabStore(pools, { baseUrl: server.url, lab: 'redis-lua', adminToken: 'secret' });
});
afterAll(async () => {
  await pools.close();
  await server?.close();
});

const state = { accounts: [{ id: 1, balance: 10_000, version: 0 }], items: [] };

describe('seeding over HTTP', () => {
  it('resets one lab to a scenario with the bearer token', async () => {
    server.answer((_req, res) =>
      json(res, 200, { scenario: 'withdraw-storm', labs: ['redis-lua'], initialState: state }),
    );
    expect(await store.reset('withdraw-storm')).toEqual({
      scenario: 'withdraw-storm',
      labs: ['redis-lua'],
      initialState: state,
    });
    const sent = server.received.at(-1);
    expect(sent).toMatchObject({ method: 'POST', url: '/admin/reset' });
    expect(sent?.headers.authorization).toBe('Bearer secret');
    expect(JSON.parse(sent?.body ?? '')).toEqual({ scenario: 'withdraw-storm', lab: 'redis-lua' });
  });

  it('says the token is missing before sending anything', async () => {
    const before = server.received.length;
    const noToken = new HttpLabStore(pools, { baseUrl: server.url, lab: 'redis-lua' });
    await expect(noToken.reset('withdraw-storm')).rejects.toThrow(
      /needs the server's admin token: pass adminToken \(its LAB_ADMIN_TOKEN\)/,
    );
    expect(server.received.length).toBe(before);
  });

  it('says which setting to fix when the server refuses the token', async () => {
    server.answer((_req, res) =>
      json(res, 401, { error: 'unauthorized', message: 'POST /admin/reset needs "Authorization: Bearer …"' }),
    );
    const refused = await store.reset('withdraw-storm').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpLabError);
    expect(refused).toMatchObject({ status: 401, error: 'unauthorized' });
    expect((refused as Error).message).toMatch(
      /POST http:\/\/127\.0\.0\.1:\d+\/admin\/reset answered 401 unauthorized: .*adminToken option must be the server’s LAB_ADMIN_TOKEN/,
    );
  });
});

describe('reading over HTTP', () => {
  it('reads an account and an item, and undefined for one the server says does not exist', async () => {
    server.answer((req, res) => {
      if (req.url === '/labs/redis-lua/accounts/1') json(res, 200, { id: 1, balance: 42, version: 3 });
      else if (req.url === '/labs/redis-lua/items/sku-a')
        json(res, 200, { sku: 'sku-a', available: 2, reserved: 8, version: 8 });
      else json(res, 404, { error: 'not_found', message: 'does not exist' });
    });
    expect(await store.readAccount(1)).toEqual({ id: 1, balance: 42, version: 3 });
    expect(await store.readItem('sku-a')).toEqual({ sku: 'sku-a', available: 2, reserved: 8, version: 8 });
    expect(await store.readAccount(2)).toBeUndefined();
    expect(await store.readItem('sku-b')).toBeUndefined();
  });

  it('throws for a lab the server does not serve, and for an answer that is not an account', async () => {
    server.answer((_req, res) =>
      json(res, 404, { error: 'unknown_lab', message: 'no lab "redis-lua" is served here' }),
    );
    await expect(store.readAccount(1)).rejects.toThrow(
      /answered 404 unknown_lab: no lab "redis-lua" is served here/,
    );
    server.answer((_req, res) => json(res, 200, { balance: 'lots' }));
    await expect(store.readAccount(1)).rejects.toThrow(/answered 200 without an account/);
    server.answer((_req, res) =>
      json(res, 503, { error: 'service_unavailable', message: 'Redis is unavailable' }),
    );
    await expect(store.readItem('sku-a')).rejects.toThrow(
      /answered 503 service_unavailable: Redis is unavailable/,
    );
  });

  it('asks for the server’s check and reads the final state from it', async () => {
    const final = { accounts: [{ id: 1, balance: 0, version: 5000 }], items: [] };
    server.answer((_req, res) =>
      json(res, 200, {
        lab: 'redis-lua',
        scenario: 'withdraw-storm',
        valid: true,
        violations: [],
        expectation: 'safe',
        matchesExpectation: true,
        initialState: state,
        finalState: final,
        contention: { conflicts: 0, retries: 0, lockWaitMs: 0 },
        coverage: { localOps: 10_000 },
      }),
    );
    const check = await store.check({ scenario: 'withdraw-storm', history: 'ledger' });
    expect(server.received.at(-1)?.url).toBe('/labs/redis-lua/check?scenario=withdraw-storm&history=ledger');
    expect(check).toMatchObject({ valid: true, matchesExpectation: true, finalState: final });
    expect(await store.readState()).toEqual(final);
    expect(server.received.at(-1)?.url).toBe('/labs/redis-lua/check');
    server.answer((_req, res) => json(res, 200, { valid: true }));
    await expect(store.check()).rejects.toThrow(/answered 200 without a verdict/);
  });
});
