import { Counter, Gauge, Trend } from 'k6/metrics';
import { FAIL_REASONS, type FailReason } from './plans.ts';

// Metrics must be created in the init context, once per script: this module is imported by every
// scenario, so each metric exists in every run (and in every summary) even when it stays at zero.

/** Changes that took effect (HTTP 200 on withdraw, deposit or reserve). */
export const okChanges = new Counter('lab_ok');
/** Reads that answered 200 (the mixed scenario). */
export const okReads = new Counter('lab_reads');
/** One counter per failure reason the server reports (`lab_fail_<reason>`). */
export const failures: Readonly<Record<FailReason, Counter>> = Object.fromEntries(
  FAIL_REASONS.map((reason) => [reason, new Counter(`lab_fail_${reason}`)]),
) as Record<FailReason, Counter>;
/** Any answer that is neither ok nor a known failure: 400, 500, a 503 from a service that is down, no answer. */
export const unexpectedStatus = new Counter('lab_unexpected_status');
/** Invariant violations reported by GET /labs/:lab/check in teardown(), tagged by kind. */
export const violations = new Counter('lab_violations');
/** Latency of the scenario's own operations (not of setup's resets or teardown's check). */
export const opDuration = new Trend('lab_op_duration', true);
/** Every operation of the scenario, whatever its answer: its rate is the throughput the criteria ask for. */
export const operations = new Counter('lab_ops');
/** Milliseconds from the end of setup() to the start of teardown(): the load phase alone. */
export const loadDuration = new Gauge('lab_load_ms', true);

/** The HTTP statuses counted one by one, so that a summary can show "5000 × 200, 5000 × 409". */
export const COUNTED_STATUSES = [200, 400, 404, 409, 500, 503] as const;
export const statusCounters: Readonly<Record<string, Counter>> = Object.fromEntries([
  ...COUNTED_STATUSES.map((status) => [String(status), new Counter(`lab_status_${status}`)]),
  ['other', new Counter('lab_status_other')],
]);

/** Every metric name above, for handleSummary and thresholds. */
export const metricNames = {
  ok: 'lab_ok',
  reads: 'lab_reads',
  fail: (reason: FailReason) => `lab_fail_${reason}`,
  unexpectedStatus: 'lab_unexpected_status',
  violations: 'lab_violations',
  opDuration: 'lab_op_duration',
  operations: 'lab_ops',
  loadDuration: 'lab_load_ms',
  status: (status: string) => `lab_status_${status}`,
} as const;
