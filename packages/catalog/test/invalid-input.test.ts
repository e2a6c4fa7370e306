import { withdrawStorm } from '@concurrency-lab/harness';
import { type OpContext, openSession, type State } from '@concurrency-lab/model';
import { afterAll, describe, expect, it } from 'vitest';
import { LABS, ServiceHub } from '../src/index.ts';

const hub = new ServiceHub();
afterAll(() => hub.close());

const opContext = (id: string): OpContext => ({
  id,
  raceWindow: async () => {},
  conflict: () => {},
  retry: () => {},
  waited: () => {},
});

const INVALID = [0, -2, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '5' as unknown as number];
const initial: State = {
  accounts: withdrawStorm().initialState.accounts,
  items: [{ sku: 'sku-a', available: 10, reserved: 0, version: 0 }],
};

describe.each(LABS.map((lab) => [lab.name, lab] as const))('%s given an invalid amount', (_name, lab) => {
  it('answers invalid_amount with what is accepted, and changes nothing', async () => {
    const prepared = await hub.prepare(lab, { options: {} });
    try {
      const store = lab.store(prepared.context);
      await store.reset(initial);
      const session = await openSession(lab, prepared.context);
      for (const [i, amount] of INVALID.entries()) {
        for (const outcome of [
          await session.withdraw(1, amount, opContext(`w${i}`)),
          await session.deposit(1, amount, opContext(`d${i}`)),
          await session.reserve('sku-a', amount, opContext(`r${i}`)),
        ]) {
          expect(outcome).toMatchObject({ type: 'fail', reason: 'invalid_amount' });
          expect(outcome.type === 'fail' && outcome.message).toMatch(/must be a positive safe integer/);
        }
      }
      await session.close();
      expect(await store.readState()).toMatchObject({
        accounts: [{ id: 1, balance: 10_000 }],
        items: [{ sku: 'sku-a', available: 10, reserved: 0 }],
      });
      expect(await store.readLedger()).toEqual([]);
    } finally {
      await prepared.release();
    }
  });
});
