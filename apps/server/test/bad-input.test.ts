import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, type Reply, type ServerFixture, startServerFixture } from './lab-server-fixture.ts';
import { openRaw, parseRawReply, type RawConnection, rawRequest, sendRaw } from './raw-http.ts';

// Bad input against a real server and the test run's real Postgres. Every case must be refused
// with 400, 404 or 408 and a message that says what was wrong, and must change nothing: after each
// one the ledger is still empty and the account and the item still hold their seeded values.

const LAB = 'update-returning';
const MAX = Number.MAX_SAFE_INTEGER;
let fixture: ServerFixture;

const seeded = async () => {
  const served = fixture.server.labs.get(LAB);
  if (!served) throw new Error(`${LAB} is not served`);
  const [ledger, account, item] = await Promise.all([
    served.store.readLedger(),
    served.store.readAccount(1),
    served.store.readItem('sku-a'),
  ]);
  return { ledger: ledger.length, balance: account?.balance, available: item?.available };
};

const withdraw = (body: unknown, init?: { raw?: string; contentType?: string | null }) =>
  fixture.post(`/labs/${LAB}/accounts/1/withdraw`, body, init);

/** The refusal and its message, then proof that nothing changed. */
const expectRefused = async (reply: Reply, status: 400 | 404, field: string | undefined, says: RegExp) => {
  expect(reply.status, reply.text).toBe(status);
  if (field !== undefined) expect(reply.body.field).toBe(field);
  expect(String(reply.body.message)).toMatch(says);
  if (status === 400) expect(String(reply.body.accepted ?? '')).not.toBe('');
  // No stack traces and no SQL in what the client sees.
  expect(reply.text).not.toMatch(/\bat .+\.(ts|js):\d+|SELECT|UPDATE /);
  expect(await seeded()).toEqual({ ledger: 0, balance: 10_000, available: 10 });
};

// Short enough that a request which never finishes arriving is cut within the test's time; every
// other row sends its whole request at once, so these bounds never touch them.
const HEADERS_TIMEOUT_MS = 1_000;
const REQUEST_TIMEOUT_MS = 1_500;

beforeAll(async () => {
  fixture = await startServerFixture([LAB], {
    LAB_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
    LAB_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  });
  // One account and one item, so that both kinds of change can be refused against real rows.
  await fixture.server.labs.get(LAB)?.store.reset({
    accounts: [{ id: 1, balance: 10_000, version: 0 }],
    items: [{ sku: 'sku-a', available: 10, reserved: 5, version: 0 }],
  });
  expect(await seeded()).toEqual({ ledger: 0, balance: 10_000, available: 10 });
});

afterAll(async () => {
  await fixture?.close();
});

describe('bad request bodies', () => {
  it('refuses a missing body', async () => {
    await expectRefused(
      await withdraw(undefined, { contentType: null }),
      400,
      'body',
      /JSON object; got nothing/,
    );
  });

  it('refuses an empty JSON body and an empty object', async () => {
    await expectRefused(await withdraw(undefined, { raw: '' }), 400, 'body', /JSON object; got nothing/);
    await expectRefused(await withdraw({}), 400, 'amount', /amount is required/);
  });

  it('refuses malformed JSON', async () => {
    await expectRefused(await withdraw(undefined, { raw: '{"amount": 2' }), 400, 'body', /not valid JSON/);
    await expectRefused(await withdraw(undefined, { raw: "{'amount': 2}" }), 400, 'body', /not valid JSON/);
  });

  it('refuses an amount sent as a string', async () => {
    await expectRefused(
      await withdraw({ amount: '2' }),
      400,
      'amount',
      /whole number from 1 to .*got "2" \(a string\)/,
    );
  });

  it('refuses zero, negative and fractional amounts', async () => {
    await expectRefused(await withdraw({ amount: 0 }), 400, 'amount', /got 0 \(a number\)/);
    await expectRefused(await withdraw({ amount: -2 }), 400, 'amount', /got -2/);
    await expectRefused(await withdraw({ amount: 1.5 }), 400, 'amount', /got 1\.5/);
    await expectRefused(await withdraw(undefined, { raw: '{"amount": -0}' }), 400, 'amount', /whole number/);
  });

  it('refuses NaN-like amounts', async () => {
    // JSON has no NaN or Infinity: the bare words are malformed JSON; 1e400 parses to Infinity.
    await expectRefused(await withdraw(undefined, { raw: '{"amount": NaN}' }), 400, 'body', /not valid JSON/);
    await expectRefused(
      await withdraw(undefined, { raw: '{"amount": Infinity}' }),
      400,
      'body',
      /not valid JSON/,
    );
    await expectRefused(
      await withdraw(undefined, { raw: '{"amount": 1e400}' }),
      400,
      'amount',
      /got Infinity/,
    );
    await expectRefused(await withdraw({ amount: 'NaN' }), 400, 'amount', /got "NaN"/);
    await expectRefused(await withdraw({ amount: null }), 400, 'amount', /got null/);
  });

  it('refuses amounts above Number.MAX_SAFE_INTEGER', async () => {
    await expectRefused(
      await withdraw(undefined, { raw: `{"amount": ${MAX + 1}}` }),
      400,
      'amount',
      new RegExp(`1 to ${MAX}`),
    );
    await expectRefused(
      await withdraw(undefined, { raw: '{"amount": 99999999999999999999}' }),
      400,
      'amount',
      /whole number/,
    );
    await expectRefused(await withdraw({ amount: `${MAX}0` }), 400, 'amount', /a string/);
  });

  it('refuses extra fields, naming them', async () => {
    const reply = await withdraw({ amount: 2, accountId: 2 });
    await expectRefused(reply, 400, 'accountId', /unknown field "accountId": the body takes only "amount"/);
    await expectRefused(await withdraw({ qty: 2 }), 400, 'qty', /unknown field "qty"/);
  });

  it('refuses bodies that are not objects', async () => {
    await expectRefused(await withdraw([2]), 400, 'body', /JSON object; got \[2\] \(an array\)/);
    await expectRefused(await withdraw(undefined, { raw: '2' }), 400, 'body', /not valid JSON|JSON object/);
    await expectRefused(
      await withdraw(undefined, { raw: 'null' }),
      400,
      'body',
      /not valid JSON|JSON object/,
    );
  });

  it('refuses an oversized body', async () => {
    const padding = 'x'.repeat(4096);
    await expectRefused(await withdraw({ amount: 2, padding }), 400, 'body', /larger than 1024 bytes/);
  });

  it('refuses a wrong content type', async () => {
    const body = JSON.stringify({ amount: 2 });
    await expectRefused(
      await withdraw(undefined, { raw: body, contentType: 'text/plain' }),
      400,
      'content-type',
      /must be application\/json; got "text\/plain"/,
    );
    await expectRefused(
      await withdraw(undefined, { raw: 'amount=2', contentType: 'application/x-www-form-urlencoded' }),
      400,
      'content-type',
      /application\/json/,
    );
  });

  it('checks reserve bodies the same way', async () => {
    const reserve = (body: unknown) => fixture.post(`/labs/${LAB}/items/sku-a/reserve`, body);
    await expectRefused(await reserve({ qty: '1' }), 400, 'qty', /qty must be/);
    await expectRefused(await reserve({ qty: 0 }), 400, 'qty', /qty must be/);
    await expectRefused(
      await reserve({ amount: 1 }),
      400,
      'amount',
      /unknown field "amount": the body takes only "qty"/,
    );
  });
});

describe('bad transfer bodies', () => {
  const transfer = (body: unknown) => fixture.post(`/labs/${LAB}/transfers`, body);

  it('refuses a missing or empty body, naming what the body takes', async () => {
    await expectRefused(
      await fixture.post(`/labs/${LAB}/transfers`, undefined, { raw: '' }),
      400,
      'body',
      /JSON object; got nothing/,
    );
    await expectRefused(await transfer({}), 400, 'from', /from is required/);
    await expectRefused(await transfer([1, 2, 3]), 400, 'body', /JSON object; got \[1,2,3\] \(an array\)/);
  });

  it('refuses account ids that are not whole numbers in range', async () => {
    await expectRefused(
      await transfer({ from: '1', to: 2, amount: 1 }),
      400,
      'from',
      /from must be a JSON number .* got "1" \(a string\)/,
    );
    await expectRefused(
      await transfer({ from: 1, to: 0, amount: 1 }),
      400,
      'to',
      /to must be .*from 1 to 2147483647; got 0/,
    );
    await expectRefused(await transfer({ from: 1, to: 2147483648, amount: 1 }), 400, 'to', /got 2147483648/);
    await expectRefused(await transfer({ from: 1.5, to: 2, amount: 1 }), 400, 'from', /got 1\.5/);
  });

  it('refuses a transfer to its own account', async () => {
    await expectRefused(
      await transfer({ from: 1, to: 1, amount: 2 }),
      400,
      'to',
      /to must be another account than from; got 1 for both/,
    );
  });

  it('refuses bad amounts and extra fields', async () => {
    await expectRefused(
      await transfer({ from: 1, to: 2, amount: 0 }),
      400,
      'amount',
      /amount must be .*got 0/,
    );
    await expectRefused(await transfer({ from: 1, to: 2 }), 400, 'amount', /amount is required/);
    await expectRefused(
      await transfer({ from: 1, to: 2, amount: 2, note: 'rent' }),
      400,
      'note',
      /unknown field "note": the body takes only "from", "to", "amount"/,
    );
  });

  it('answers 404 for an account that does not exist, and moves nothing out of the other', async () => {
    const reply = await transfer({ from: 1, to: 999, amount: 2 });
    await expectRefused(
      reply,
      404,
      undefined,
      /one of accounts 1 and 999 does not exist; nothing was transferred/,
    );
    expect(reply.body.error).toBe('not_found');
  });
});

describe('bad joint withdrawal bodies', () => {
  const joint = (body: unknown) => fixture.post(`/labs/${LAB}/joint-withdrawals`, body);

  it('refuses a missing partner, the account as its own partner, a bad amount and extra fields', async () => {
    await expectRefused(await joint({ account: 1, amount: 2 }), 400, 'partner', /partner is required/);
    await expectRefused(
      await joint({ account: 1, partner: 1, amount: 2 }),
      400,
      'partner',
      /partner must be another account than account; got 1 for both/,
    );
    await expectRefused(
      await joint({ account: 1, partner: 2, amount: 0 }),
      400,
      'amount',
      /amount must be .*got 0/,
    );
    await expectRefused(
      await joint({ account: 1, partner: 2, amount: 2, note: 'x' }),
      400,
      'note',
      /unknown field "note": the body takes only "account", "partner", "amount"/,
    );
  });

  it('answers 404 for a partner that does not exist', async () => {
    const reply = await joint({ account: 1, partner: 999, amount: 2 });
    await expectRefused(
      reply,
      404,
      undefined,
      /one of accounts 1 and 999 does not exist; nothing was withdrawn/,
    );
    expect(reply.body.error).toBe('not_found');
  });
});

describe('bad basket bodies', () => {
  const basket = (body: unknown) => fixture.post(`/labs/${LAB}/baskets`, body);

  it('refuses a body without a list of items, or with too few or too many', async () => {
    await expectRefused(await basket({}), 400, 'items', /items is required/);
    await expectRefused(
      await basket({ items: 'sku-a' }),
      400,
      'items',
      /items must be a JSON array; got "sku-a"/,
    );
    await expectRefused(await basket({ items: [] }), 400, 'items', /1 to 10 lines; got none/);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ sku: `s${i}`, qty: 1 }));
    await expectRefused(await basket({ items: eleven }), 400, 'items', /1 to 10 lines; got more/);
  });

  it('names the line and the field that is wrong', async () => {
    await expectRefused(
      await basket({ items: [2] }),
      400,
      'items[0]',
      /each item must be a JSON object; got 2/,
    );
    await expectRefused(await basket({ items: [{ sku: 'sku-a' }] }), 400, 'items[0].qty', /qty is required/);
    await expectRefused(
      await basket({
        items: [
          { sku: 'sku-a', qty: 1 },
          { sku: 'sku-a', qty: -1 },
        ],
      }),
      400,
      'items[1].qty',
      /qty must be .*got -1/,
    );
    await expectRefused(
      await basket({ items: [{ sku: "sku-a' OR '1'='1", qty: 1 }] }),
      400,
      'items[0].sku',
      /sku must be letters, digits/,
    );
    await expectRefused(
      await basket({ items: [{ sku: 'sku-a', qty: 1, price: 3 }] }),
      400,
      'items[0].price',
      /unknown field "price": items\[0\] takes only "sku", "qty"/,
    );
  });

  it('refuses an item named twice', async () => {
    await expectRefused(
      await basket({
        items: [
          { sku: 'sku-a', qty: 1 },
          { sku: 'sku-a', qty: 2 },
        ],
      }),
      400,
      'items[1].sku',
      /each sku may appear once; sku-a is there twice/,
    );
  });

  it('answers 404 or 409 for a line that cannot be had, and reserves none of the others', async () => {
    await expectRefused(
      await basket({
        items: [
          { sku: 'sku-a', qty: 1 },
          { sku: 'sku-zzz', qty: 1 },
        ],
      }),
      404,
      undefined,
      /one of items sku-a, sku-zzz does not exist; nothing was reserved/,
    );
    const short = await basket({ items: [{ sku: 'sku-a', qty: 11 }] });
    expect(short.status, short.text).toBe(409);
    expect(short.body).toMatchObject({ error: 'out_of_stock' });
    expect(await seeded()).toEqual({ ledger: 0, balance: 10_000, available: 10 });
  });
});

describe('bad paths', () => {
  it('answers 404 for an unknown lab, naming the served ones', async () => {
    const reply = await fixture.post('/labs/no-such-lab/accounts/1/withdraw', { amount: 2 });
    await expectRefused(
      reply,
      404,
      undefined,
      /no lab "no-such-lab" is served here; served labs: update-returning/,
    );
    expect(reply.body.error).toBe('unknown_lab');
    await expectRefused(await fixture.get('/labs/naive/accounts/1'), 404, undefined, /served labs/);
  });

  it('answers 404 for an unknown account or item, and changes nothing', async () => {
    const reply = await fixture.post(`/labs/${LAB}/accounts/999/withdraw`, { amount: 2 });
    await expectRefused(reply, 404, undefined, /account 999 does not exist/);
    expect(reply.body.error).toBe('not_found');
    await expectRefused(
      await fixture.post(`/labs/${LAB}/accounts/999/deposit`, { amount: 2 }),
      404,
      undefined,
      /does not exist/,
    );
    await expectRefused(
      await fixture.post(`/labs/${LAB}/items/sku-zzz/reserve`, { qty: 1 }),
      404,
      undefined,
      /item sku-zzz does not exist/,
    );
    await expectRefused(await fixture.get(`/labs/${LAB}/accounts/999`), 404, undefined, /does not exist/);
  });

  it('refuses non-numeric and out-of-range account ids', async () => {
    for (const id of ['abc', '1.5', '-1', '0', '01', '1e3', '2147483648', '99999999999999999999']) {
      await expectRefused(
        await fixture.post(`/labs/${LAB}/accounts/${id}/withdraw`, { amount: 2 }),
        400,
        'id',
        /account id must be digits only/,
      );
    }
    await expectRefused(await fixture.get(`/labs/${LAB}/accounts/abc`), 400, 'id', /digits only/);
  });

  it('refuses SQL-looking ids and skus', async () => {
    for (const id of ["1' OR '1'='1", '1; DROP TABLE accounts', '1--', '1 OR 1=1']) {
      const reply = await fixture.post(`/labs/${LAB}/accounts/${encodeURIComponent(id)}/withdraw`, {
        amount: 2,
      });
      await expectRefused(reply, 400, 'id', /digits only/);
    }
    for (const sku of ["sku-a' OR '1'='1", 'sku-a;DELETE FROM stock_items', "'; --"]) {
      const reply = await fixture.post(`/labs/${LAB}/items/${encodeURIComponent(sku)}/reserve`, { qty: 1 });
      await expectRefused(reply, 400, 'sku', /sku must be letters, digits/);
    }
  });

  it('answers 404 with the way forward for a route that does not exist', async () => {
    const reply = await fixture.get(`/labs/${LAB}/accounts/1/withdraw`);
    await expectRefused(reply, 404, undefined, /no route GET/);
  });
});

/** A row of the table below: one request, written byte for byte, and how it must be refused. */
interface MalformedRow {
  readonly name: string;
  readonly request: Buffer;
  readonly status: 400;
  readonly error: 'invalid_request';
  readonly field: string;
  readonly says: RegExp;
  /** What `accepted` must mention. */
  readonly accepts: RegExp;
}

const json = { 'content-type': 'application/json' };
const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  rawRequest('POST', path, { headers: { ...json, ...headers }, body });
const PERCENT = /not valid percent-encoding/;
const PERCENT_ACCEPTED = /UTF-8/;

const MALFORMED: readonly MalformedRow[] = [
  // Percent-encoding that does not decode: the router's URIError was a 500, even on GET.
  ...(
    [
      ['an undecodable lab name on GET', 'GET', '/labs/%zz/accounts/1', 'lab'],
      ['an undecodable lab name on POST', 'POST', '/labs/%zz/accounts/1/withdraw', 'lab'],
      ['an undecodable account id', 'POST', `/labs/${LAB}/accounts/%zz/withdraw`, 'id'],
      ['a truncated UTF-8 account id', 'POST', `/labs/${LAB}/accounts/%E2%82/deposit`, 'id'],
      ['a truncated escape in a sku', 'POST', `/labs/${LAB}/items/sku-a%2/reserve`, 'sku'],
      ['a truncated UTF-8 sku on GET', 'GET', `/labs/${LAB}/items/%E2%82`, 'sku'],
      ['an overlong UTF-8 lab name on the check', 'GET', '/labs/%C0%AF/check', 'lab'],
    ] as const
  ).map(([name, method, path, field]) => ({
    name,
    request:
      method === 'GET'
        ? rawRequest('GET', path)
        : post(path, path.endsWith('reserve') ? '{"qty":1}' : '{"amount":2}'),
    status: 400 as const,
    error: 'invalid_request' as const,
    field,
    says: PERCENT,
    accepts: PERCENT_ACCEPTED,
  })),
  // Content-Encoding: only identity is accepted, whatever the body really is.
  ...(
    [
      ['br', 'br', '{"amount":2}'],
      ['gzip on a plain body', 'gzip', '{"amount":2}'],
      ['gzip on a real gzip body', 'gzip', gzipSync('{"amount":2}')],
      ['deflate', 'deflate', '{"amount":2}'],
      ['a list of encodings', 'identity, gzip', '{"amount":2}'],
      ['an unknown encoding', 'x-made-up', '{"amount":2}'],
    ] as const
  ).map(([name, encoding, body]) => ({
    name: `Content-Encoding: ${name}`,
    request: post(`/labs/${LAB}/accounts/1/withdraw`, body, { 'content-encoding': encoding }),
    status: 400 as const,
    error: 'invalid_request' as const,
    field: 'content-encoding',
    says: /Content-Encoding .* is not supported/,
    accepts: /identity/,
  })),
  // Duplicate keys: JSON.parse keeps the last value silently; a client meant one of them.
  ...(
    [
      [
        'the larger amount last',
        `/labs/${LAB}/accounts/1/withdraw`,
        '{"amount": 1, "amount": 99999}',
        'amount',
      ],
      [
        'the smaller amount last',
        `/labs/${LAB}/accounts/1/withdraw`,
        '{"amount": 99999, "amount": 1}',
        'amount',
      ],
      [
        'a key spelled with an escape',
        `/labs/${LAB}/accounts/1/deposit`,
        '{"amount": 2, "\\u0061mount": 3}',
        'amount',
      ],
      ['a quantity', `/labs/${LAB}/items/sku-a/reserve`, '{"qty": 1, "qty": 1}', 'qty'],
      ['a nested object', `/labs/${LAB}/accounts/1/withdraw`, '{"amount": {"a": 1, "a": 2}}', 'amount.a'],
    ] as const
  ).map(([name, path, body, field]) => ({
    name: `duplicate keys: ${name}`,
    request: post(path, body),
    status: 400 as const,
    error: 'invalid_request' as const,
    field,
    says: new RegExp(`key "${field.split('.').at(-1)}" appears more than once`),
    accepts: /each key once/,
  })),
  {
    name: 'duplicate keys in an admin reset',
    request: post('/admin/reset', '{"scenario": "withdraw-storm", "scenario": "flash-sale"}', {
      authorization: `Bearer ${ADMIN_TOKEN}`,
    }),
    status: 400,
    error: 'invalid_request',
    field: 'scenario',
    says: /key "scenario" appears more than once/,
    accepts: /each key once/,
  },
  {
    name: 'a charset other than UTF-8',
    request: post(`/labs/${LAB}/accounts/1/withdraw`, Buffer.from('{"amount":2}', 'utf16le'), {
      'content-type': 'application/json; charset=utf-16le',
    }),
    status: 400,
    error: 'invalid_request',
    field: 'content-type',
    says: /charset must be utf-8/,
    accepts: /utf-8/,
  },
  {
    name: 'a request that is not HTTP',
    request: Buffer.from('POST /labs/update-returning/accounts/1/withdraw HTTP/1.1\r\nHost x\r\n\r\n'),
    status: 400,
    error: 'invalid_request',
    field: 'http',
    says: /not a valid HTTP\/1\.1 request/,
    accepts: /HTTP\/1\.1/,
  },
];

describe('malformed requests, written byte for byte', () => {
  it.each(MALFORMED)('refuses $name', async (row) => {
    const reply = await sendRaw(fixture.url, row.request);
    expect(reply.status, reply.raw).toBe(row.status);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(reply.body).toMatchObject({ error: row.error, field: row.field });
    expect(String(reply.body.message)).toMatch(row.says);
    expect(String(reply.body.accepted)).toMatch(row.accepts);
    expect(reply.text).not.toMatch(/\bat .+\.(ts|js):\d+|URIError|Error:/);
    expect(await seeded()).toEqual({ ledger: 0, balance: 10_000, available: 10 });
  });
});

/** A row of requests that never finish arriving: what the client sends, and which part timed out. */
interface StalledRow {
  readonly name: string;
  readonly field: 'headers' | 'body';
  /** Writes the request's beginning, then stalls or trickles; returns once it has stopped sending. */
  readonly send: (connection: RawConnection, cut: () => boolean) => Promise<void>;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Writes one byte of `text` every 200 ms until the server has cut the connection (or the text ends). */
const trickle = async (connection: RawConnection, cut: () => boolean, text: string) => {
  for (const char of text) {
    if (cut()) return;
    await connection.write(char).catch(() => {});
    await pause(200);
  }
};
const withdrawHead = (length: number) =>
  `POST /labs/${LAB}/accounts/1/withdraw HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`;

const STALLED: readonly StalledRow[] = [
  { name: 'a connection that sends nothing', field: 'headers', send: async () => {} },
  {
    name: 'headers trickled a byte at a time (slowloris)',
    field: 'headers',
    send: (connection, cut) =>
      trickle(
        connection,
        cut,
        `POST /labs/${LAB}/accounts/1/withdraw HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'z'.repeat(60)}`,
      ),
  },
  {
    name: 'a body shorter than its Content-Length',
    field: 'body',
    send: (connection) => connection.write(`${withdrawHead(40)}{"amount": 2`),
  },
  {
    name: 'a body trickled a byte at a time',
    field: 'body',
    send: async (connection, cut) => {
      const body = `{"amount": 2, "padding": "${'x'.repeat(40)}"}`;
      await connection.write(withdrawHead(body.length));
      await trickle(connection, cut, body);
    },
  },
  {
    name: 'a partial body on a kept-alive connection, after a complete request',
    field: 'body',
    send: async (connection) => {
      await connection.write(`GET /labs/${LAB}/accounts/1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await pause(300);
      await connection.write(`${withdrawHead(40)}{"amount"`);
    },
  },
];

describe('requests that never finish arriving', () => {
  it.each(STALLED)('cuts $name with 408', async (row) => {
    const connection = await openRaw(fixture.url);
    let cut = false;
    connection.socket.once('close', () => {
      cut = true;
    });
    const sending = row.send(connection, () => cut);
    // Bounded: the timeouts are 1 to 1.5 s and are checked every second; the trickles would go on 12 s.
    const { closedByServer, received } = await connection.closed(8_000);
    await sending;
    expect(closedByServer, `still open after 8 s; received ${received}`).toBe(true);
    // The kept-alive row first gets its complete answer; the 408 is the last response.
    const last = received.lastIndexOf('HTTP/1.1 ');
    const reply = parseRawReply(received.slice(Math.max(last, 0)));
    expect(reply.status, received).toBe(408);
    expect(reply.body).toMatchObject({ error: 'request_timeout', field: row.field });
    expect(String(reply.body.message)).toMatch(
      row.field === 'headers' ? /LAB_HEADERS_TIMEOUT_MS \(1000 ms\)/ : /LAB_REQUEST_TIMEOUT_MS \(1500 ms\)/,
    );
    expect(await seeded()).toEqual({ ledger: 0, balance: 10_000, available: 10 });
  });
});

describe('after all the refusals', () => {
  it('still serves a valid request, and only that one reaches the ledger', async () => {
    const ok = await withdraw({ amount: 2 });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ balance: 9998 });
    expect(await seeded()).toEqual({ ledger: 1, balance: 9998, available: 10 });
  });

  it('accepts Content-Encoding: identity and a charset of utf-8', async () => {
    const reply = await sendRaw(
      fixture.url,
      post(`/labs/${LAB}/accounts/1/withdraw`, '{"amount": 2}', {
        'content-encoding': 'identity',
        'content-type': 'application/json; charset=UTF-8',
      }),
    );
    expect(reply.status, reply.raw).toBe(200);
    expect(reply.body).toMatchObject({ balance: 9996 });
    expect(await seeded()).toEqual({ ledger: 2, balance: 9996, available: 10 });
  });
});
