import type { Outcome } from '@concurrency-lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HttpExchange, HttpPools, openHttpSession } from '../src/index.ts';
import { json, opContext, type PlainServer, startPlainServer } from './plain-server.ts';

let server: PlainServer;
const pools = new HttpPools();
const exchanges: HttpExchange[] = [];
let session: ReturnType<typeof openHttpSession>;

beforeAll(async () => {
  server = await startPlainServer();
  session = openHttpSession(pools, {
    baseUrl: server.url,
    lab: 'update-returning',
    onExchange: (exchange) => exchanges.push(exchange),
  });
});
afterAll(async () => {
  await pools.close();
  await server?.close();
});

/** Answers the next request with `status` and `body` (a string is sent as it is, not as JSON). */
const answering = (status: number, body: unknown) =>
  server.answer((_req, res) => {
    if (typeof body === 'string') {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(body);
    } else json(res, status, body);
  });

describe('what the session sends', () => {
  it('performs each operation as the server’s routes take it', async () => {
    answering(200, { balance: 8, opId: 'r0-1' });
    await session.withdraw(1, 2, opContext('a'));
    await session.deposit(7, 5, opContext('b'));
    answering(200, { available: 9, reserved: 1, opId: 'r0-3' });
    await session.reserve('sku-flash', 1, opContext('c'));
    const sent = server.received.slice(-3);
    expect(sent.map(({ method, url, body }) => [method, url, JSON.parse(body)])).toEqual([
      ['POST', '/labs/update-returning/accounts/1/withdraw', { amount: 2 }],
      ['POST', '/labs/update-returning/accounts/7/deposit', { amount: 5 }],
      ['POST', '/labs/update-returning/items/sku-flash/reserve', { qty: 1 }],
    ]);
    for (const request of sent) expect(request.headers['content-type']).toBe('application/json');
  });

  it('refuses an amount the model does not accept without sending anything', async () => {
    const before = server.received.length;
    for (const amount of [0, -2, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 1]) {
      const outcome = await session.withdraw(1, amount, opContext('bad'));
      expect(outcome).toMatchObject({ type: 'fail', reason: 'invalid_amount' });
    }
    expect(await session.reserve('sku-a', 0, opContext('bad'))).toMatchObject({
      type: 'fail',
      reason: 'invalid_amount',
      message: expect.stringContaining('qty'),
    });
    expect(server.received.length).toBe(before);
  });
});

type Expected = Outcome<unknown> | { type: 'info'; error: RegExp };

// Every answer the server's routes give (apps/server/README.md, "Status codes"), and some they never
// should: only what the server states is believed, the rest is `info`.
const withdrawals: ReadonlyArray<[string, number, unknown, Expected]> = [
  ['200 with the balance', 200, { balance: 8, opId: 'r0-7' }, { type: 'ok', value: 8 }],
  ['200 with a balance of 0', 200, { balance: 0, opId: 'r0-8' }, { type: 'ok', value: 0 }],
  ['200 without a balance', 200, { opId: 'r0-9' }, { type: 'info', error: /HTTP 200 without the balance/ }],
  ['200 with a balance that is not a number', 200, { balance: '8' }, { type: 'info', error: /HTTP 200/ }],
  ['200 that is not JSON', 200, 'ok', { type: 'info', error: /HTTP 200 without the balance: ok/ }],
  [
    '409 insufficient_funds',
    409,
    { error: 'insufficient_funds', message: 'account 1 has less than 2' },
    { type: 'fail', reason: 'insufficient_funds', message: 'account 1 has less than 2' },
  ],
  [
    '409 conflict_retries_exhausted',
    409,
    { error: 'conflict_retries_exhausted', message: 'gave up' },
    { type: 'fail', reason: 'conflict_retries_exhausted', message: 'gave up' },
  ],
  ['409 deadlock', 409, { error: 'deadlock' }, { type: 'fail', reason: 'deadlock' }],
  [
    '409 with a reason the model does not know',
    409,
    { error: 'overdrawn' },
    { type: 'info', error: /HTTP 409 overdrawn/ },
  ],
  ['409 without a reason', 409, {}, { type: 'info', error: /HTTP 409/ }],
  [
    '404 not_found',
    404,
    { error: 'not_found', message: 'account 1 does not exist' },
    { type: 'fail', reason: 'not_found', message: 'account 1 does not exist' },
  ],
  [
    '404 unknown_lab',
    404,
    { error: 'unknown_lab', message: 'no lab "x"' },
    { type: 'info', error: /unknown_lab: no lab "x"/ },
  ],
  [
    '404 no_route',
    404,
    { error: 'no_route', message: 'no route' },
    { type: 'info', error: /HTTP 404 no_route/ },
  ],
  [
    '400 invalid_amount',
    400,
    { error: 'invalid_amount', message: 'too large' },
    { type: 'fail', reason: 'invalid_amount', message: 'too large' },
  ],
  [
    '400 refusing the amount field',
    400,
    { error: 'invalid_request', field: 'amount', message: 'amount must be a whole number' },
    { type: 'fail', reason: 'invalid_amount', message: 'amount must be a whole number' },
  ],
  [
    '400 refusing the account id',
    400,
    { error: 'invalid_request', field: 'id', message: 'account id must be digits only' },
    { type: 'info', error: /HTTP 400 invalid_request: account id must be digits only/ },
  ],
  [
    '400 refusing the content type',
    400,
    { error: 'invalid_request', field: 'content-type', message: 'Content-Type must be application/json' },
    { type: 'info', error: /Content-Type must be application\/json/ },
  ],
  ['400 that is not JSON', 400, 'Bad Request', { type: 'info', error: /HTTP 400 Bad Request/ }],
  [
    '503 service_unavailable',
    503,
    { error: 'service_unavailable', message: 'Postgres is unavailable', opId: 'r0-10' },
    { type: 'info', error: /HTTP 503 service_unavailable: Postgres is unavailable/ },
  ],
  [
    '503 lock_unavailable',
    503,
    { error: 'lock_unavailable', message: 'the lock could not be acquired' },
    { type: 'info', error: /HTTP 503 lock_unavailable/ },
  ],
  [
    '500 internal_error',
    500,
    { error: 'internal_error', message: 'unexpected error', opId: 'r0-11' },
    { type: 'info', error: /HTTP 500 internal_error/ },
  ],
  ['502 from a proxy', 502, 'Bad Gateway', { type: 'info', error: /HTTP 502 Bad Gateway/ }],
  ['201, which the server never sends', 201, { balance: 8 }, { type: 'info', error: /HTTP 201/ }],
  ['302', 302, '', { type: 'info', error: /HTTP 302 an empty body/ }],
  ['429', 429, { error: 'too_many_requests' }, { type: 'info', error: /HTTP 429 too_many_requests/ }],
];

describe('a withdrawal’s answer, mapped back to an outcome', () => {
  it.each(withdrawals)('%s', async (_name, status, body, expected) => {
    answering(status, body);
    const outcome = await session.withdraw(1, 2, opContext('w'));
    if (expected.type === 'info' && expected.error instanceof RegExp) {
      expect(outcome.type).toBe('info');
      expect((outcome as { error: string }).error).toMatch(expected.error);
      expect((outcome as { error: string }).error).toContain('may or may not have taken effect');
    } else {
      expect(outcome).toEqual(expected);
    }
  });

  it('hands out the op id the server gave, beside the outcome, for ok and unknown answers alike', async () => {
    exchanges.length = 0;
    answering(200, { balance: 4, opId: 'r0-20' });
    await session.withdraw(1, 2, opContext('harness-1'));
    answering(500, { error: 'internal_error', message: 'unexpected error', opId: 'r0-21' });
    await session.withdraw(1, 2, opContext('harness-2'));
    answering(409, { error: 'insufficient_funds', message: 'short' });
    await session.withdraw(1, 2, opContext('harness-3'));
    expect(exchanges).toEqual([
      {
        opId: 'harness-1',
        serverOpId: 'r0-20',
        baseUrl: server.url,
        status: 200,
        outcome: { type: 'ok', value: 4 },
      },
      {
        opId: 'harness-2',
        serverOpId: 'r0-21',
        baseUrl: server.url,
        status: 500,
        outcome: expect.objectContaining({ type: 'info' }),
      },
      {
        opId: 'harness-3',
        serverOpId: undefined,
        baseUrl: server.url,
        status: 409,
        outcome: { type: 'fail', reason: 'insufficient_funds', message: 'short' },
      },
    ]);
  });
});

describe('a reservation’s answer, mapped back to an outcome', () => {
  it.each([
    [200, { available: 9, reserved: 1, opId: 'r0-30' }, { type: 'ok', value: { available: 9, reserved: 1 } }],
    [
      409,
      { error: 'out_of_stock', message: 'none left' },
      { type: 'fail', reason: 'out_of_stock', message: 'none left' },
    ],
    [
      404,
      { error: 'not_found', message: 'no item' },
      { type: 'fail', reason: 'not_found', message: 'no item' },
    ],
    [
      400,
      { error: 'invalid_request', field: 'qty', message: 'qty must be' },
      { type: 'fail', reason: 'invalid_amount', message: 'qty must be' },
    ],
  ] as const)('%i %j', async (status, body, expected) => {
    answering(status, body);
    expect(await session.reserve('sku-a', 1, opContext('r'))).toEqual(expected);
  });

  it.each([
    ['200 without reserved', 200, { available: 9 }],
    [
      '400 refusing another field than qty',
      400,
      { error: 'invalid_request', field: 'amount', message: 'unknown field' },
    ],
    ['503 quorum_unavailable', 503, { error: 'quorum_unavailable', message: 'too few nodes' }],
  ] as const)('%s is info', async (_name, status, body) => {
    answering(status, body);
    expect((await session.reserve('sku-a', 1, opContext('r'))).type).toBe('info');
  });
});

describe('a transfer’s and a basket’s requests and answers', () => {
  const lines = [
    { sku: 'sku-a', qty: 1 },
    { sku: 'sku-b', qty: 2 },
  ];

  it('sends them as the server’s routes take them, and refuses malformed ones without sending', async () => {
    answering(200, { from: { account: 1, balance: 8 }, to: { account: 2, balance: 12 }, opId: 'r0-40' });
    expect(await session.transfer(1, 2, 2, opContext('t'))).toEqual({
      type: 'ok',
      value: { from: 8, to: 12 },
    });
    const counts = [
      { sku: 'sku-a', available: 9, reserved: 1 },
      { sku: 'sku-b', available: 3, reserved: 2 },
    ];
    answering(200, { items: counts, opId: 'r0-41' });
    expect(await session.basket(lines, opContext('b'))).toEqual({ type: 'ok', value: counts });
    const sent = server.received.slice(-2);
    expect(sent.map(({ method, url, body }) => [method, url, JSON.parse(body)])).toEqual([
      ['POST', '/labs/update-returning/transfers', { from: 1, to: 2, amount: 2 }],
      ['POST', '/labs/update-returning/baskets', { items: lines }],
    ]);
    const before = server.received.length;
    expect(await session.transfer(1, 1, 2, opContext('t'))).toMatchObject({
      type: 'fail',
      reason: 'invalid_request',
    });
    expect(await session.basket([], opContext('b'))).toMatchObject({
      type: 'fail',
      reason: 'invalid_request',
    });
    expect(await session.basket([{ sku: 'sku-a', qty: 0 }], opContext('b'))).toMatchObject({
      type: 'fail',
      reason: 'invalid_amount',
    });
    expect(server.received.length).toBe(before);
  });

  it.each([
    ['409 insufficient_funds', 409, { error: 'insufficient_funds', message: 'short' }, 'fail'],
    ['404 not_found', 404, { error: 'not_found', message: 'no account 9' }, 'fail'],
    ['400 refusing "to"', 400, { error: 'invalid_request', field: 'to', message: 'to must be' }, 'fail'],
    ['400 refusing the amount', 400, { error: 'invalid_request', field: 'amount', message: 'x' }, 'fail'],
    [
      '400 refusing a field it did not send',
      400,
      { error: 'invalid_request', field: 'qty', message: 'x' },
      'info',
    ],
    ['200 without the balance of "to"', 200, { from: { account: 1, balance: 8 }, opId: 'r0-42' }, 'info'],
  ] as const)('transfer: %s is %s', async (_name, status, body, type) => {
    answering(status, body);
    expect((await session.transfer(1, 2, 2, opContext('t'))).type).toBe(type);
  });

  it.each([
    [
      '409 out_of_stock',
      409,
      { error: 'out_of_stock', message: 'short' },
      { type: 'fail', reason: 'out_of_stock' },
    ],
    [
      '400 refusing a line’s qty',
      400,
      { error: 'invalid_request', field: 'items[1].qty', message: 'x' },
      { type: 'fail', reason: 'invalid_amount' },
    ],
    [
      '400 refusing a line’s sku',
      400,
      { error: 'invalid_request', field: 'items[0].sku', message: 'x' },
      { type: 'fail', reason: 'invalid_request' },
    ],
    [
      '400 from the model’s own check',
      400,
      { error: 'invalid_request', message: 'sku-a twice' },
      { type: 'fail', reason: 'invalid_request' },
    ],
    [
      '400 refusing the content type',
      400,
      { error: 'invalid_request', field: 'content-type', message: 'x' },
      { type: 'info' },
    ],
    [
      '200 with fewer lines than asked',
      200,
      { items: [{ sku: 'sku-a', available: 9, reserved: 1 }], opId: 'r0-43' },
      { type: 'info' },
    ],
    [
      '200 with the lines of other items',
      200,
      {
        items: [
          { sku: 'sku-b', available: 9, reserved: 1 },
          { sku: 'sku-a', available: 3, reserved: 2 },
        ],
      },
      { type: 'info' },
    ],
  ] as const)('basket: %s', async (_name, status, body, expected) => {
    answering(status, body);
    expect(await session.basket(lines, opContext('b'))).toMatchObject(expected);
  });
});
