import { fail, type OpContext, ok } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import { type LockClient, type LockRefusal, lockGuard } from '../src/index.ts';

/** A lock in memory: held by at most one caller; `refusal` says why a try was refused. */
const memoryLock = (refusal: LockRefusal = { reason: 'lock_unavailable', message: 'held' }) => {
  const held = new Set<string>();
  const log: string[] = [];
  const client: LockClient<string> = {
    async tryAcquire(key) {
      if (held.has(key)) return { refused: refusal };
      held.add(key);
      log.push(`acquire ${key}`);
      return { lock: key };
    },
    async release(key) {
      held.delete(key);
      log.push(`release ${key}`);
    },
  };
  return { client, held, log };
};

const recording = () => {
  const seen = { retries: 0, waitedMs: 0 };
  const op: OpContext = {
    id: 'op',
    raceWindow: async () => {},
    conflict: () => {},
    retry: () => {
      seen.retries++;
    },
    waited: (ms) => {
      seen.waitedMs += ms;
    },
    deadlock: () => {},
  };
  return { op, seen };
};

const keyOf = (subject: string) => `lock:${subject}`;

describe('lockGuard', () => {
  it('runs the operation holding the lock and always gives it back, also when the operation throws', async () => {
    const { client, held, log } = memoryLock();
    const guard = lockGuard(client, { keyOf, acquireTimeoutMs: 100 });
    const { op } = recording();
    expect(await guard('account:1', op, async () => ok(held.has('lock:account:1')))).toEqual(ok(true));
    await expect(
      guard('account:1', op, async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(held.size).toBe(0);
    expect(log).toEqual([
      'acquire lock:account:1',
      'release lock:account:1',
      'acquire lock:account:1',
      'release lock:account:1',
    ]);
  });

  it('waits for a held lock, retrying with backoff, and reports the retries and the wait', async () => {
    const { client, held } = memoryLock();
    held.add('lock:account:1');
    setTimeout(() => held.delete('lock:account:1'), 60);
    const guard = lockGuard(client, { keyOf, acquireTimeoutMs: 2_000, backoff: { baseMs: 2, capMs: 10 } });
    const { op, seen } = recording();
    expect(await guard('account:1', op, async () => ok('done'))).toEqual(ok('done'));
    expect(seen.retries).toBeGreaterThan(0);
    expect(seen.waitedMs).toBeGreaterThanOrEqual(50);
  });

  it('gives up after the acquire timeout with the reason of the last refusal, without running anything', async () => {
    const { client, held } = memoryLock({ reason: 'quorum_unavailable', message: '1 of 5 answered' });
    held.add('lock:item:a');
    const guard = lockGuard(client, { keyOf, acquireTimeoutMs: 50, backoff: { baseMs: 1, capMs: 5 } });
    const { op } = recording();
    let ran = false;
    const started = performance.now();
    const outcome = await guard('item:a', op, async () => {
      ran = true;
      return fail('out_of_stock');
    });
    // Gave up at its deadline, not never (a bound against a hang, not a speed measurement).
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(ran).toBe(false);
    expect(outcome).toMatchObject({ type: 'fail', reason: 'quorum_unavailable' });
    expect(outcome.type === 'fail' && outcome.message).toMatch(
      /no lock on item:a within \d+ ms: 1 of 5 answered/,
    );
  });

  it('refuses a deadline that could never end the loop', () => {
    const { client } = memoryLock();
    expect(() => lockGuard(client, { keyOf, acquireTimeoutMs: Number.NaN })).toThrow(
      /acquireTimeoutMs must be a finite/,
    );
  });
});
