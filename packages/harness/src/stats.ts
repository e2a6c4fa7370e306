import type { FailReason } from '@concurrency-lab/model';
import hdr from 'hdr-histogram-js';
import type { History } from './history/op.ts';

export interface OutcomeCounts {
  readonly ok: number;
  readonly fail: Readonly<Partial<Record<FailReason, number>>>;
  readonly info: number;
  readonly total: number;
}

export interface LatencyMs {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

export interface RunStats {
  readonly counts: OutcomeCounts;
  readonly durationMs: number;
  readonly throughputOpsPerSec: number;
  readonly latencyMs: LatencyMs;
  /** What strategies reported: conflicts seen, retries made, time spent waiting for locks. */
  readonly contention: {
    readonly conflicts: number;
    readonly retries: number;
    readonly lockWaitMs: number;
    /** Attempts (first tries plus retries) per ok operation: 1 when nothing was retried. */
    readonly attemptsPerOk: number;
  };
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

export const countOutcomes = (history: History): OutcomeCounts => {
  let ok = 0;
  let info = 0;
  const fail: Partial<Record<FailReason, number>> = {};
  for (const op of history) {
    if (op.outcome?.type === 'ok') ok++;
    else if (op.outcome?.type === 'info') info++;
    else if (op.outcome?.type === 'fail') fail[op.outcome.reason] = (fail[op.outcome.reason] ?? 0) + 1;
  }
  return { ok, fail, info, total: history.length };
};

/** Counts, throughput and latency percentiles of a finished history (latency in µs buckets). */
export const computeStats = (history: History, durationMs: number): RunStats => {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });
  let conflicts = 0;
  let retries = 0;
  let lockWaitMs = 0;
  let okRetries = 0;
  for (const op of history) {
    if (op.outcome?.type === 'ok') okRetries += op.retries;
    if (op.completedAt !== undefined)
      histogram.recordValue(Math.max(1, Math.round((op.completedAt - op.invokedAt) * 1000)));
    conflicts += op.conflicts;
    retries += op.retries;
    lockWaitMs += op.waitedMs;
  }
  const ms = (us: number) => round(us / 1000, 3);
  const counts = countOutcomes(history);
  const latencyMs: LatencyMs =
    histogram.totalCount === 0
      ? { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 }
      : {
          p50: ms(histogram.getValueAtPercentile(50)),
          p95: ms(histogram.getValueAtPercentile(95)),
          p99: ms(histogram.getValueAtPercentile(99)),
          max: ms(histogram.maxValue),
          mean: ms(histogram.mean),
        };
  histogram.destroy();
  const completed = history.filter((op) => op.completedAt !== undefined).length;
  return {
    counts,
    durationMs: round(durationMs),
    throughputOpsPerSec: durationMs > 0 ? round((completed / durationMs) * 1000, 1) : 0,
    latencyMs,
    contention: {
      conflicts,
      retries,
      lockWaitMs: round(lockWaitMs),
      attemptsPerOk: counts.ok > 0 ? round((counts.ok + okRetries) / counts.ok, 3) : 0,
    },
  };
};
