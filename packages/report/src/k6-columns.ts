import type { K6Run } from './k6-summary.ts';
import { formatNumber } from './number-format.ts';

/** One column of the k6 table: its header, a one-line explanation, and whether it holds numbers. */
export interface K6Column {
  readonly header: string;
  readonly explain: string;
  /** Right-aligned (numbers). */
  readonly numeric: boolean;
}

/** The columns of the k6 table, shared by the Markdown and HTML renderings. */
export const K6_COLUMNS: readonly K6Column[] = [
  { header: 'lab', explain: 'The lab the server ran, and the summary file it comes from.', numeric: false },
  { header: 'scenario', explain: 'The k6 scenario.', numeric: false },
  { header: 'replicas', explain: 'Server processes the requests were spread over.', numeric: true },
  {
    header: 'result',
    explain:
      'UNSAFE when the server’s check or the clients found a violation; FAILED when a k6 threshold failed.',
    numeric: false,
  },
  { header: 'requests', explain: 'HTTP requests of the scenario.', numeric: true },
  { header: 'req/s', explain: 'Requests per second during the load phase.', numeric: true },
  { header: 'p50 ms', explain: 'Median latency of one request.', numeric: true },
  { header: 'p99 ms', explain: 'Latency that 99% of requests stayed under.', numeric: true },
  {
    header: 'statuses',
    explain: 'HTTP statuses and their counts (or the scenario’s counters above zero).',
    numeric: false,
  },
  { header: 'violations', explain: 'Violations by kind.', numeric: false },
  { header: 'thresholds', explain: 'k6 thresholds: ✓ held, ✗ failed.', numeric: false },
];

/** UNSAFE (violations), UNKNOWN (undecided), FAILED (a threshold failed) or PASSED, for one k6 run. */
export const k6Verdict = (run: K6Run): 'UNSAFE' | 'UNKNOWN' | 'FAILED' | 'PASSED' =>
  run.valid === false || run.violations.some((v) => v.count > 0)
    ? 'UNSAFE'
    : run.valid === 'unknown'
      ? 'UNKNOWN'
      : run.thresholds.some((t) => !t.ok)
        ? 'FAILED'
        : 'PASSED';

/** `UNSAFE`, with whether the lab promised it, when the summary says what the lab promised. */
export const k6ResultText = (run: K6Run): string => {
  const verdict = k6Verdict(run);
  if (run.matchesExpectation === null || run.expectation === null) return verdict;
  return run.matchesExpectation
    ? `${verdict}, as expected`
    : `${verdict}, NOT AS EXPECTED (declared ${run.expectation})`;
};

/** `5,000 × 200, 5,000 × 409`, or the counters above zero when statuses were not counted. */
export const k6Details = (run: K6Run): string[] =>
  run.statuses
    ? Object.entries(run.statuses).map(([status, n]) => `${n.toLocaleString('en-US')} × ${status}`)
    : Object.entries(run.counters).map(([name, n]) => `${name} ${n.toLocaleString('en-US')}`);

/** `invariant_violations ×4`: one kind of violation and how often it happened. */
export const k6ViolationText = (violation: K6Run['violations'][number]): string =>
  `${violation.kind} ×${formatNumber(violation.count)}`;

/** `✓ lab_violations count==0` (held) or `✗ …` (failed). */
export const k6ThresholdText = (threshold: K6Run['thresholds'][number]): string =>
  `${threshold.ok ? '✓' : '✗'} ${threshold.metric} ${threshold.expression}`;
