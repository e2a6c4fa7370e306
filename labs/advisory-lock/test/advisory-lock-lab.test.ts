import { resolveLabOptions } from '@concurrency-lab/model';
import { ServiceHub } from '@concurrency-lab/services';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { advisoryLockLab } from '../src/index.ts';

const hub = new ServiceHub();
afterAll(() => hub.close());

describe('advisory-lock', () => {
  it('waits while another session holds the named lock of the row, and reports the wait', async () => {
    const run = await hub.prepare(advisoryLockLab, { options: resolveLabOptions(advisoryLockLab, {}) });
    const holder = new pg.Client({ connectionString: await hub.postgresUrl() });
    try {
      await advisoryLockLab
        .store(run.context)
        .reset({ accounts: [{ id: 1, balance: 10, version: 0 }], items: [] });
      const session = await advisoryLockLab.open(run.context);
      // Another client takes the same key the lab uses for account 1 (its run's namespace and the row).
      await holder.connect();
      const key = `${run.context.namespace}/account:1`;
      await holder.query('SELECT pg_advisory_lock(hashtextextended($1, 0))', [key]);
      let waitedMs = 0;
      const pending = session.withdraw(1, 4, {
        id: 'op-1',
        raceWindow: async () => {},
        conflict: () => {},
        retry: () => {},
        waited: (ms) => {
          waitedMs += ms;
        },
        deadlock: () => {},
      });
      const heldFor = 300;
      await new Promise((resolve) => setTimeout(resolve, heldFor));
      // Still waiting: nothing was written while the other client held the lock.
      const balance = await advisoryLockLab.store(run.context).readAccount(1);
      expect(balance?.balance).toBe(10);
      await holder.query('SELECT pg_advisory_unlock(hashtextextended($1, 0))', [key]);
      expect(await pending).toEqual({ type: 'ok', value: 6 });
      expect(waitedMs).toBeGreaterThanOrEqual(heldFor * 0.8);
      await session.close();
    } finally {
      await holder.end().catch(() => {});
      await run.release();
    }
  });
});
