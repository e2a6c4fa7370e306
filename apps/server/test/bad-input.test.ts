import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Reply, type ServerFixture, startServerFixture } from './lab-server-fixture.ts';

// Bad input against a real server and the test run's real Postgres. Every case must be refused
// with 400 or 404 and a message that says what was wrong, and must change nothing: after each
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

beforeAll(async () => {
  fixture = await startServerFixture([LAB]);
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

describe('after all the refusals', () => {
  it('still serves a valid request, and only that one reaches the ledger', async () => {
    const ok = await withdraw({ amount: 2 });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toMatchObject({ balance: 9998 });
    expect(await seeded()).toEqual({ ledger: 1, balance: 9998, available: 10 });
  });
});
