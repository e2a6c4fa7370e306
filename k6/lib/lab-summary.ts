import { type CheckAnswer, criteriaThresholds, fetchCheck, type Violation } from './lab-lifecycle.ts';
import { COUNTED_STATUSES, metricNames } from './outcome-metrics.ts';
import { FAIL_REASONS, type FailReason, type K6Plan } from './plans.ts';
import type { RunConfig } from './run-config.ts';

/** The format tag of the JSON summary, for readers (the comparison report) to recognise it. */
export const SUMMARY_FORMAT = 'concurrency-lab/k6-summary@1';

interface MetricSummary {
  readonly values: Readonly<Record<string, number>>;
  readonly thresholds?: Readonly<Record<string, { readonly ok: boolean }>>;
}

/** The part of k6's handleSummary argument that is read here. */
export interface SummaryData {
  readonly metrics: Readonly<Record<string, MetricSummary | undefined>>;
  readonly state: { readonly testRunDurationMs: number };
}

const statOf = (data: SummaryData, metric: string, stat: string): number =>
  data.metrics[metric]?.values[stat] ?? 0;
const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/**
 * The JSON summary of one k6 run (written to `<LAB_RESULTS_DIR>/<scenario>-<lab>.json`): what the
 * clients saw (counts per outcome and per status, latency of the operations, throughput of the load
 * phase), what the server's check found, the verdict from both, and k6's own `metrics` and `state`
 * unchanged. `lab k6` prints it as a table; the comparison report reads it.
 */
export const buildSummary = (plan: K6Plan, config: RunConfig, data: SummaryData) => {
  const count = (metric: string) => statOf(data, metric, 'count');
  const fail: Partial<Record<FailReason, number>> = {};
  for (const reason of FAIL_REASONS) {
    const n = count(metricNames.fail(reason));
    if (n > 0) fail[reason] = n;
  }
  const statuses: Record<string, number> = {};
  for (const status of [...COUNTED_STATUSES.map(String), 'other']) {
    const n = count(metricNames.status(status));
    if (n > 0) statuses[status] = n;
  }
  const ok = count(metricNames.ok);
  const reads = count(metricNames.reads);
  const unexpected = count(metricNames.unexpectedStatus);
  const requests = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  const loadMs = statOf(data, metricNames.loadDuration, 'value') || data.state.testRunDurationMs;

  // The check again, on every replica: the first one's verdict, everyone's contention.
  const checks = config.urls.map((url) => fetchCheck(config, url));
  const check: CheckAnswer | undefined = checks[0];
  const contention = { conflicts: 0, retries: 0, lockWaitMs: 0 };
  for (const c of checks) {
    contention.conflicts += c?.contention?.conflicts ?? 0;
    contention.retries += c?.contention?.retries ?? 0;
    contention.lockWaitMs = round(contention.lockWaitMs + (c?.contention?.lockWaitMs ?? 0));
  }

  // What the clients saw, checked beside what the server found.
  const clientViolations: Violation[] = [];
  if (unexpected > 0) {
    clientViolations.push({
      kind: 'unexpected-status',
      count: unexpected,
      example: `statuses seen: ${JSON.stringify(statuses)}; only 200 and the failures of the model are expected`,
    });
  }
  // Exact counts only when this instance saw every request (not one share of a distributed run:
  // then the server's check, which sees the whole state and ledger, judges the outcome).
  const mismatches: string[] = [];
  if (config.exactCounts && plan.expected.ok !== undefined && ok !== plan.expected.ok) {
    mismatches.push(`expected ${plan.expected.ok} ok, clients saw ${ok}`);
  }
  for (const reason of config.exactCounts ? FAIL_REASONS : []) {
    const want = plan.expected.fail?.[reason];
    if (want !== undefined && (fail[reason] ?? 0) !== want) {
      mismatches.push(`expected ${want} ${reason}, clients saw ${fail[reason] ?? 0}`);
    }
  }
  if (mismatches.length > 0) {
    clientViolations.push({
      kind: 'unexpected-client-outcome',
      count: mismatches.length,
      example: mismatches.join('; '),
    });
  }
  const ledgerRows = check?.coverage?.ledgerRows;
  if (config.exactCounts && ledgerRows !== undefined && ledgerRows !== ok) {
    clientViolations.push({
      kind: 'client-ledger-mismatch',
      count: Math.abs(ledgerRows - ok),
      example: `clients were told ${ok} changes took effect; the ledger holds ${ledgerRows} rows`,
    });
  }
  if (!check)
    clientViolations.push({
      kind: 'check-unavailable',
      count: 1,
      example: 'GET /labs/:lab/check did not answer 200',
    });

  const violations = [...(check?.violations ?? []), ...clientViolations];
  const valid: boolean | 'unknown' =
    violations.length > 0 ? false : check?.valid === 'unknown' ? 'unknown' : true;
  const isCriterion = (name: string, rule: string) => criteriaThresholds(plan)[name]?.includes(rule) === true;
  const thresholds: Record<string, Record<string, boolean>> = {};
  for (const [name, metric] of Object.entries(data.metrics)) {
    if (!metric?.thresholds) continue;
    thresholds[name] = Object.fromEntries(Object.entries(metric.thresholds).map(([rule, t]) => [rule, t.ok]));
  }
  return {
    format: SUMMARY_FORMAT,
    scenario: plan.scenario,
    lab: config.lab,
    replicas: config.urls.length,
    urls: config.urls,
    vus: plan.vus,
    iterations: plan.iterations,
    expectation: config.expect,
    expected: plan.expected,
    counts: { requests, ok, reads, fail, unexpectedStatus: unexpected, statuses },
    loadDurationMs: round(loadMs),
    throughputOpsPerSec: loadMs > 0 ? round((requests / loadMs) * 1000, 1) : 0,
    latencyMs: {
      p50: round(statOf(data, metricNames.opDuration, 'med'), 3),
      p95: round(statOf(data, metricNames.opDuration, 'p(95)'), 3),
      p99: round(statOf(data, metricNames.opDuration, 'p(99)'), 3),
      max: round(statOf(data, metricNames.opDuration, 'max'), 3),
      mean: round(statOf(data, metricNames.opDuration, 'avg'), 3),
    },
    contention,
    thresholds,
    // The success criteria are information (criteriaMet); the safety thresholds decide thresholdsPassed.
    thresholdsPassed: Object.entries(thresholds).every(([name, rules]) =>
      Object.entries(rules).every(([rule, ok]) => ok || isCriterion(name, rule)),
    ),
    criteria: plan.criteria,
    criteriaMet: Object.entries(criteriaThresholds(plan)).every(([name, rules]) =>
      rules.every((rule) => thresholds[name]?.[rule] !== false),
    ),
    verdict: { valid, violations },
    matchesExpectation: config.expect === 'safe' ? valid === true : valid === false,
    check: check ?? null,
    // k6's own view, as handleSummary received it: readers that know k6 summaries find it here.
    state: data.state,
    metrics: data.metrics,
  };
};

export type K6Summary = ReturnType<typeof buildSummary>;

/** A short text for the terminal (k6 prints nothing else when handleSummary is defined). */
export const summaryText = (summary: K6Summary, file: string): string => {
  const { counts, latencyMs: l, verdict } = summary;
  const lines = [
    '',
    `  ${summary.scenario} on ${summary.lab} over ${summary.replicas} replica(s), ${summary.vus} VUs`,
    `  statuses   ${
      Object.entries(counts.statuses)
        .map(([s, n]) => `${n} × ${s}`)
        .join(', ') || 'none'
    }`,
    `  outcomes   ${counts.ok} ok, ${
      Object.entries(counts.fail)
        .map(([r, n]) => `${n} ${r}`)
        .join(', ') || 'no failures'
    }, ${counts.unexpectedStatus} unexpected`,
    `  load       ${summary.throughputOpsPerSec} req/s over ${(summary.loadDurationMs / 1000).toFixed(2)} s; p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms`,
    `  verdict    ${verdict.valid === true ? 'SAFE' : verdict.valid === false ? 'UNSAFE' : 'UNKNOWN'}${verdict.violations.map((v) => `\n    ${v.kind} ×${v.count}: ${v.example}`).join('')}`,
    `  expected   ${summary.expectation}: ${summary.matchesExpectation ? 'as expected' : 'NOT as expected'}`,
    `  summary    ${file}`,
    '',
  ];
  return `${lines.join('\n')}\n`;
};

/** handleSummary's answer: the JSON file, and the text on stdout. */
export const summaryOutputs = (
  plan: K6Plan,
  config: RunConfig,
  data: SummaryData,
): Record<string, string> => {
  const summary = buildSummary(plan, config, data);
  const file = `${config.resultsDir}/${plan.scenario}-${config.lab}.json`;
  return { [file]: `${JSON.stringify(summary, null, 2)}\n`, stdout: summaryText(summary, file) };
};
