import { fail, ok } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import { computeStats } from '../src/stats.ts';
import { historyOf, withdraw } from './history-builder.ts';

describe('computeStats', () => {
  it('counts outcomes by reason, throughput from the duration, and latency percentiles', () => {
    // Latencies 1, 2, …, 100 ms.
    const history = historyOf(
      ...Array.from(
        { length: 100 },
        (_, i) => [withdraw(1), i < 60 ? ok(i) : fail('insufficient_funds'), 0, i + 1] as const,
      ),
    );
    const stats = computeStats(history, 2000);
    expect(stats.counts).toEqual({ ok: 60, fail: { insufficient_funds: 40 }, info: 0, total: 100 });
    expect(stats.throughputOpsPerSec).toBe(50);
    expect(stats.latencyMs.p50).toBeCloseTo(50, 0);
    expect(stats.latencyMs.p99).toBeCloseTo(99, 0);
    expect(stats.latencyMs.max).toBeCloseTo(100, 0);
    expect(stats.contention.attemptsPerOk).toBe(1);
  });

  it('adds up what strategies reported: conflicts, deadlocks, retries of ok ops, lock waits as a sum and per op', () => {
    // Two ops of 20 ms each; the first waited 12.5 ms for a lock, the second not at all.
    const history = historyOf([withdraw(1), ok(9), 0, 20], [withdraw(1), ok(8), 0, 20]);
    Object.assign(history[0] as object, { retries: 3, conflicts: 2, waitedMs: 12.5, deadlocks: 1 });
    const stats = computeStats(history, 100);
    expect(stats.contention).toEqual({
      conflicts: 2,
      deadlocks: 1,
      retries: 3,
      lockWaitMs: 12.5,
      lockWait: { meanMs: 6.25, p99Ms: 12.5, maxMs: 12.5, shareOfLatency: 0.313 },
      attemptsPerOk: 2.5,
    });
  });

  it('never reports a percentile above the maximum, which HDR buckets would round past', () => {
    // 123.457 ms falls in an HDR bucket whose upper edge is 123.519 ms.
    const history = historyOf([withdraw(1), ok(9), 0, 123.457]);
    const { latencyMs } = computeStats(history, 200);
    expect(latencyMs.max).toBe(123.457);
    for (const p of [latencyMs.p50, latencyMs.p95, latencyMs.p99])
      expect(p).toBeLessThanOrEqual(latencyMs.max);
  });
});
