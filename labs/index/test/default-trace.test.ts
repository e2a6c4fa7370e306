import {
  DEFAULT_SCHEDULE,
  parseSchedule,
  TRACE_BLOCK_MS,
  TRACE_SCENES,
  type TraceProtection,
  type TraceResult,
  traceLab,
} from '@concurrency-lab/harness';
import { type Lab, resolveLabOptions } from '@concurrency-lab/model';
import { ServiceHub } from '@concurrency-lab/services';
import { afterAll, describe, expect, it } from 'vitest';
import { LABS } from '../src/index.ts';

// What each lab's default trace must show on the lost-update step: the anomaly of a lab without
// protection, or the protection of the others, seen in the steps it reports.
const SHOWN: Readonly<Record<string, { anomaly?: 'lost-update'; protection: TraceProtection }>> = {
  naive: { anomaly: 'lost-update', protection: 'none' },
  mutex: { protection: 'blocked' },
  'pg-transaction': { anomaly: 'lost-update', protection: 'none' },
  'select-for-update': { protection: 'blocked' },
  'advisory-lock': { protection: 'blocked' },
  optimistic: { protection: 'retried' },
  'update-returning': { protection: 'no-gap' },
  'check-constraint': { protection: 'no-gap' },
  'redis-lua': { protection: 'no-gap' },
  'redis-lock': { protection: 'blocked' },
  redlock: { protection: 'blocked' },
};

const hub = new ServiceHub();
afterAll(() => hub.close());

const trace = async (
  lab: Lab,
  scene: keyof typeof TRACE_SCENES,
  given: Record<string, string> = {},
): Promise<TraceResult> => {
  const prepared = await hub.prepare(lab, { options: resolveLabOptions(lab, given) });
  try {
    return await traceLab({
      lab,
      context: prepared.context,
      scene: TRACE_SCENES[scene],
      schedule: parseSchedule(DEFAULT_SCHEDULE),
      // Twice the default: on a loaded machine a client with nothing to wait on still gets there.
      blockMs: 2 * TRACE_BLOCK_MS,
    });
  } finally {
    await prepared.release();
  }
};

const kindsOf = (result: TraceResult, client: string) =>
  result.events.filter((e) => e.client === client).map((e) => (e.kind === 'step' ? e.step : e.kind));

describe('every lab has a default trace whose outcome is known', () => {
  it('covers every lab', () => {
    expect(Object.keys(SHOWN).sort()).toEqual(LABS.map((lab) => lab.name).sort());
  });

  for (const lab of LABS) {
    const shown = SHOWN[lab.name];
    it(`${lab.name}: ${shown?.anomaly ?? shown?.protection}`, async () => {
      const result = await trace(lab, 'withdraw-storm');
      const about = JSON.stringify({ outcome: result.outcome, events: result.events });
      expect(result.outcome.anomaly, about).toBe(shown?.anomaly);
      expect(result.outcome.protection, about).toBe(shown?.protection);
      const b = kindsOf(result, 'B');
      if (shown?.anomaly === 'lost-update') {
        // Both read 10 before either wrote, and both wrote 8.
        expect(result.finalState.accounts).toMatchObject([{ id: 1, balance: 8 }]);
        expect(result.history.map((op) => op.outcome)).toEqual([
          { type: 'ok', value: 8 },
          { type: 'ok', value: 8 },
        ]);
      } else {
        expect(result.finalState.accounts, about).toMatchObject([{ id: 1, balance: 6 }]);
        expect(result.verdict.violations).toEqual([]);
      }
      if (shown?.protection === 'blocked') {
        expect(b, about).toContain('blocked');
        // It got its lock or its row only after waiting, and then read A's result.
        expect(b.indexOf('blocked')).toBeLessThan(b.lastIndexOf('read'));
        const read = result.events.findLast(
          (e) => e.client === 'B' && e.kind === 'step' && e.step === 'read',
        );
        expect(read?.kind === 'step' && read.detail?.balances?.[1]).toBe(8);
      }
      if (shown?.protection === 'retried')
        expect(b, about).toEqual(expect.arrayContaining(['conflict', 'retry']));
      if (shown?.protection === 'no-gap') expect(b).not.toContain('read');
    });
  }

  // The isolation levels on the write-skew step: snapshot isolation lets it through, serializable does not.
  const pg = LABS.find((lab) => lab.name === 'pg-transaction') as Lab;
  it('pg-transaction at repeatable read: write skew on the joint accounts', async () => {
    const result = await trace(pg, 'write-skew', { isolation: 'repeatable-read' });
    expect(result.outcome.anomaly, JSON.stringify(result.events)).toBe('write-skew');
    expect(result.finalState.accounts).toMatchObject([
      { id: 1, balance: -1 },
      { id: 2, balance: -1 },
    ]);
  });
  it('pg-transaction at serializable: B is aborted, retries and is refused', async () => {
    const result = await trace(pg, 'write-skew', { isolation: 'serializable' });
    expect(result.outcome.protection, JSON.stringify(result.events)).toBe('retried');
    expect(result.history[1]?.outcome).toMatchObject({ type: 'fail', reason: 'insufficient_funds' });
  });
});
