import type { FailReason } from '@concurrency-lab/model';
import hdr from 'hdr-histogram-js';
import { type History, isNemesisOp } from './history/op.ts';

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
  /** What strategies reported: conflicts and deadlocks seen, retries made, time spent waiting for locks. */
  readonly contention: {
    readonly conflicts: number;
    /**
     * Deadlocks the database detected and broke by aborting one of the operations (SQLSTATE 40P01);
     * absent where operations are not seen (a k6 run, which sees statuses).
     */
    readonly deadlocks?: number;
    readonly retries: number;
    /** Time spent waiting for locks, summed over every operation (so it can exceed the run's duration). */
    readonly lockWaitMs: number;
    /**
     * The same per operation, and as the share of all operations' latency that was spent waiting;
     * absent where only the sum is known (a k6 run, which sees statuses, not operations).
     */
    readonly lockWait?: {
      readonly meanMs: number;
      readonly p99Ms: number;
      readonly maxMs: number;
      /** 0 to 1: the summed waits over the summed latencies. */
      readonly shareOfLatency: number;
    };
    /** Attempts (first tries plus retries) per ok operation: 1 when nothing was retried. */
    readonly attemptsPerOk: number;
  };
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** The clients' operations: a fault's start and stop are no client's, and no statistic counts them. */
const clientOps = (history: History): History => history.filter((op) => !isNemesisOp(op));

export const countOutcomes = (all: History): OutcomeCounts => {
  const history = clientOps(all);
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

const microsecondHistogram = () =>
  hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });

/** A percentile of an HDR histogram in ms: its buckets round up, so it is capped at the exact maximum. */
const percentileMs = (histogram: ReturnType<typeof microsecondHistogram>, p: number, maxMs: number) =>
  Math.min(round(histogram.getValueAtPercentile(p) / 1000, 3), maxMs);

/** Counts, throughput and latency percentiles of a finished history (latency in µs buckets). */
export const computeStats = (all: History, durationMs: number): RunStats => {
  const history = clientOps(all);
  const histogram = microsecondHistogram();
  const waits = microsecondHistogram();
  let maxLatencyMs = 0;
  let maxWaitMs = 0;
  let latencySumMs = 0;
  let conflicts = 0;
  let deadlocks = 0;
  let retries = 0;
  let lockWaitMs = 0;
  let okRetries = 0;
  for (const op of history) {
    if (op.outcome?.type === 'ok') okRetries += op.retries;
    if (op.completedAt !== undefined) {
      const latency = op.completedAt - op.invokedAt;
      histogram.recordValue(Math.max(1, Math.round(latency * 1000)));
      maxLatencyMs = Math.max(maxLatencyMs, latency);
      latencySumMs += latency;
    }
    waits.recordValue(Math.max(0, Math.round(op.waitedMs * 1000)));
    maxWaitMs = Math.max(maxWaitMs, op.waitedMs);
    conflicts += op.conflicts;
    deadlocks += op.deadlocks;
    retries += op.retries;
    lockWaitMs += op.waitedMs;
  }
  const counts = countOutcomes(history);
  const max = round(maxLatencyMs, 3);
  const latencyMs: LatencyMs =
    histogram.totalCount === 0
      ? { p50: 0, p95: 0, p99: 0, max: 0, mean: 0 }
      : {
          p50: percentileMs(histogram, 50, max),
          p95: percentileMs(histogram, 95, max),
          p99: percentileMs(histogram, 99, max),
          max,
          mean: round(latencySumMs / histogram.totalCount, 3),
        };
  const waitMax = round(maxWaitMs, 3);
  const lockWait = {
    meanMs: history.length > 0 ? round(lockWaitMs / history.length, 3) : 0,
    p99Ms: waits.totalCount > 0 ? percentileMs(waits, 99, waitMax) : 0,
    maxMs: waitMax,
    shareOfLatency: latencySumMs > 0 ? round(Math.min(1, lockWaitMs / latencySumMs), 3) : 0,
  };
  histogram.destroy();
  waits.destroy();
  const completed = history.filter((op) => op.completedAt !== undefined).length;
  return {
    counts,
    durationMs: round(durationMs),
    throughputOpsPerSec: durationMs > 0 ? round((completed / durationMs) * 1000, 1) : 0,
    latencyMs,
    contention: {
      conflicts,
      deadlocks,
      retries,
      lockWaitMs: round(lockWaitMs),
      lockWait,
      attemptsPerOk: counts.ok > 0 ? round((counts.ok + okRetries) / counts.ok, 3) : 0,
    },
  };
};
