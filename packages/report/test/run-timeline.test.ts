import type { Op } from '@concurrency-lab/harness';
import { describe, expect, it } from 'vitest';
import { TIMELINE_MAX_POINTS, timelineOf } from '../src/index.ts';

/** A finished history of `n` operations, one invoked every ms, taking longer as the run goes on. */
const history = (n: number): Op[] =>
  Array.from({ length: n }, (_, index) => ({
    index,
    id: `run-${index}`,
    process: index % 10,
    request: { kind: 'withdraw', accountId: 1, amount: 2 },
    invokedAt: index + 0.123456,
    completedAt: index + 0.123456 + index / 10,
    outcome:
      index % 3 === 0 ? { type: 'fail', reason: 'insufficient_funds' } : { type: 'ok', value: n - index },
    retries: index % 4,
    conflicts: 0,
    waitedMs: index / 100,
    deadlocks: 0,
  }));

describe('timelineOf', () => {
  it('keeps every operation of a small run, in columns, times to 0.01 ms', () => {
    const timeline = timelineOf(history(30));
    expect(timeline.ops).toBe(30);
    expect(timeline.sampled).toBe(30);
    expect(timeline.atMs.slice(0, 2)).toEqual([0.12, 1.12]);
    expect(timeline.latencyMs[20]).toBe(2);
    expect(timeline.outcome.slice(0, 3)).toEqual(['insufficient_funds', 'ok', 'ok']);
    expect(timeline.retries.slice(0, 5)).toEqual([0, 1, 2, 3, 0]);
    expect(timeline.waitMs[29]).toBe(0.29);
    expect(timeline.faults).toEqual([]);
  });

  it('samples a large run evenly, from its start to its end, and says how many of how many', () => {
    const timeline = timelineOf(history(10_000));
    expect(timeline.ops).toBe(10_000);
    expect(timeline.sampled).toBe(TIMELINE_MAX_POINTS);
    for (const column of [
      timeline.atMs,
      timeline.latencyMs,
      timeline.outcome,
      timeline.retries,
      timeline.waitMs,
    ])
      expect(column).toHaveLength(TIMELINE_MAX_POINTS);
    expect(timeline.atMs[0]).toBe(0.12);
    expect(timeline.atMs.at(-1)).toBeGreaterThan(9_900);
    // Evenly: the gaps between sampled invocations are all the same size, give or take one op.
    const gaps = timeline.atMs.slice(1).map((at, i) => at - (timeline.atMs[i] ?? 0));
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThanOrEqual(1.01);
  });

  it('leaves out operations that never completed', () => {
    const ops = history(10);
    delete ops[4]?.completedAt;
    const timeline = timelineOf(ops);
    expect(timeline.ops).toBe(10);
    expect(timeline.sampled).toBe(9);
  });
});
