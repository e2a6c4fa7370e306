import { MAX_VALUE } from '@concurrency-lab/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerFixture, startServerFixture } from './lab-server-fixture.ts';

// The one range of balances over HTTP: a deposit that would pass MAX_VALUE (2^53 - 1) is refused with
// a reason that says so (409 limit_exceeded) and changes nothing, in a Postgres lab and in the Redis
// one; a deposit up to it is answered, kept and logged exactly. Past int64, update-returning used to
// answer 500, redis-lua a misleading 503 and a ledger its own check called mismatched.

const LABS = ['update-returning', 'redis-lua'];
let fixture: ServerFixture;
beforeAll(async () => {
  fixture = await startServerFixture(LABS);
});
afterAll(() => fixture?.close());

describe.each(LABS)('%s over HTTP', (lab) => {
  it('refuses a deposit past 2^53 - 1 with 409 limit_exceeded and keeps one up to it exactly', async () => {
    expect((await fixture.reset('withdraw-storm', lab)).status).toBe(200);
    for (const amount of [MAX_VALUE, MAX_VALUE - 9_999]) {
      const refused = await fixture.post(`/labs/${lab}/accounts/1/deposit`, { amount });
      expect(refused.status, refused.text).toBe(409);
      expect(refused.body).toMatchObject({ error: 'limit_exceeded' });
      expect(String(refused.body.message)).toContain(String(MAX_VALUE));
    }
    expect((await fixture.get(`/labs/${lab}/accounts/1`)).body).toMatchObject({ balance: 10_000 });
    const upTo = await fixture.post(`/labs/${lab}/accounts/1/deposit`, { amount: MAX_VALUE - 10_000 });
    expect(upTo.status, upTo.text).toBe(200);
    // Compared as text: a rounded 2^53 would parse to a number equal to nothing in this test but itself.
    expect(upTo.text).toContain(`"balance":${MAX_VALUE}`);
    expect((await fixture.get(`/labs/${lab}/accounts/1`)).text).toContain(`"balance":${MAX_VALUE}`);
    const ledger = await fixture.server.labs.get(lab)?.store.readLedger();
    expect(ledger).toEqual([
      expect.objectContaining({ delta: MAX_VALUE - 10_000, resultingValue: MAX_VALUE }),
    ]);
    const check = await fixture.get(`/labs/${lab}/check`);
    const kinds = (check.body.violations as Array<{ kind: string }>).map((v) => v.kind);
    expect(kinds.filter((kind) => kind.startsWith('ledger'))).toEqual([]);
  });
});
