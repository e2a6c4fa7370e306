import { faultWindows, type History, isNemesisOp } from '@concurrency-lab/harness';
import { TIMELINE_MAX_POINTS, type Timeline } from './report-schema.ts';

/** To 0.01 ms: finer says nothing on a chart and costs bytes in report.json. */
const rounded = (ms: number) => Math.round(ms * 100) / 100;

/**
 * A run's operations for the latency-over-time chart: at most `max`, taken evenly over the
 * invocation order so that the start, the middle and the end of the run are all there.
 * Operations that never completed (an interrupted run) are left out; a fault's start and stop are
 * not operations here but its window, drawn behind them.
 */
export const timelineOf = (all: History, max = TIMELINE_MAX_POINTS): Timeline => {
  const history = all.filter((op) => !isNemesisOp(op));
  const done = [...history]
    .filter((op) => op.completedAt !== undefined)
    .sort((a, b) => a.invokedAt - b.invokedAt);
  const step = done.length > max ? done.length / max : 1;
  const sample = Array.from({ length: Math.min(max, done.length) }, (_, i) => done[Math.floor(i * step)]);
  const picked = sample.filter((op) => op !== undefined);
  return {
    ops: history.length,
    sampled: picked.length,
    atMs: picked.map((op) => rounded(op.invokedAt)),
    latencyMs: picked.map((op) => rounded((op.completedAt ?? op.invokedAt) - op.invokedAt)),
    outcome: picked.map((op) =>
      op.outcome?.type === 'fail' ? op.outcome.reason : (op.outcome?.type ?? 'info'),
    ),
    retries: picked.map((op) => op.retries),
    waitMs: picked.map((op) => rounded(op.waitedMs)),
    faults: faultWindows(all).map((fault) => ({
      name: fault.arg === undefined ? fault.name : `${fault.name}:${fault.arg}`,
      fromMs: rounded(fault.fromMs),
      toMs: rounded(fault.toMs ?? fault.fromMs),
    })),
  };
};
