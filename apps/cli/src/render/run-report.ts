import { styleText } from 'node:util';
import type { RunResult, Violation } from '@concurrency-lab/harness';
import { countOf, formatCount, formatMs, formatShare, unknownOutcomesText } from '@concurrency-lab/report';
import { criteriaText, replicaLines } from './http-run-lines.ts';
import { textTable } from './text-table.ts';
import { TERMINAL_WIDTH, wrapText } from './wrap-text.ts';

const bold = (text: string) => styleText('bold', text);
const good = (text: string) => styleText('green', text);
const bad = (text: string) => styleText('red', text);

/** One line per fault of the run: when it started and stopped (ms from the run's start), and why it failed if it did. */
const faultLines = (result: RunResult): string[] =>
  (result.faults ?? []).map((fault) => {
    const name = fault.arg === undefined ? fault.name : `${fault.name}:${fault.arg}`;
    const until = fault.toMs === undefined ? 'not stopped' : `to ${formatMs(fault.toMs)} ms`;
    const error = fault.error === undefined ? '' : ` (${bad('failed')}: ${fault.error})`;
    return paragraph(`${bold('Fault')}      `, `${name} from ${formatMs(fault.fromMs)} ms ${until}${error}`);
  });

const expectedRows = (result: RunResult): string[][] => {
  const { counts, expected, finalState } = result;
  const want = (value: number | undefined) => (value === undefined ? '—' : formatCount(value));
  const rows = [
    ['outcome', 'expected', 'actual'],
    ['ok', want(expected.ok), formatCount(counts.ok)],
  ];
  const reasons = new Set([...Object.keys(expected.fail ?? {}), ...Object.keys(counts.fail)]);
  for (const reason of reasons) {
    const key = reason as keyof typeof counts.fail;
    rows.push([`fail: ${reason}`, want(expected.fail?.[key]), formatCount(counts.fail[key] ?? 0)]);
  }
  rows.push(['info (unknown)', '0', formatCount(counts.info)]);
  for (const account of finalState.accounts) {
    rows.push([
      `final balance of account ${account.id}`,
      want(expected.balances?.[account.id]),
      formatCount(account.balance),
    ]);
  }
  for (const item of finalState.items) {
    const w = expected.items?.[item.sku];
    rows.push([
      `final ${item.sku} available / reserved`,
      w ? `${formatCount(w.available)} / ${formatCount(w.reserved)}` : '—',
      `${formatCount(item.available)} / ${formatCount(item.reserved)}`,
    ]);
  }
  return rows;
};

/** One-line verdict: what happened, what the lab promised, and whether the two agree. */
export const verdictLine = (result: RunResult): string => {
  const { verdict, expectation, matchesExpectation } = result;
  const kinds = verdict.violations.length;
  const what =
    verdict.valid === true
      ? good('SAFE: no violations')
      : verdict.valid === false
        ? bad(`UNSAFE: ${kinds} kind${kinds === 1 ? '' : 's'} of violation`)
        : styleText('yellow', 'UNKNOWN: unknown outcomes leave it undecided');
  const agreement = matchesExpectation
    ? good(`as expected (this lab is ${expectation} here)`)
    : bad(`NOT as expected (this lab should be ${expectation} here)`);
  return `${what}; ${agreement}`;
};

/** What an interrupted run did and did not do, in a line or two (nothing for a complete run). */
const interruptionLines = (result: RunResult, signal: string | undefined): string[] => {
  if (!result.interrupted) return [];
  const by = signal ? ` by ${signal}` : '';
  const lines = [
    `${styleText('yellow', 'Interrupted')}${by} after ${result.counts.total} of ${result.plannedOps ?? '?'} operations: the verdict covers those, not the scenario's exact outcome.`,
  ];
  if (result.finalStateError)
    lines.push(
      `The final state could not be read (${result.finalStateError}): only the history was checked.`,
    );
  return [...lines.flatMap((line) => wrapText(line, TERMINAL_WIDTH)), ''];
};

/** How the unknown outcomes resolved in the ledger, when there were any. */
const unknownLines = (result: RunResult): string[] =>
  result.unknownOutcomes && result.unknownOutcomes.unknown > 0
    ? [
        '',
        paragraph(
          `${bold('Unknown')}    `,
          `${unknownOutcomesText(result.unknownOutcomes)} (each looked up in the ledger by its op id; the checks count it as what it was)`,
        ),
      ]
    : [];

/** A labelled paragraph of the report, its lines after the first under the text, not the label. */
const paragraph = (label: string, text: string): string =>
  wrapText(text, TERMINAL_WIDTH, label, ' '.repeat(11)).join('\n');

/** `money-created  1 account · 19,530 money`: the count of events in its unit, the magnitude apart. */
export const violationSummary = (v: Violation): string =>
  `${countOf(v.count, v.counts)}${v.magnitude ? ` · ${formatCount(v.magnitude.amount)} ${v.magnitude.unit}` : ''}`;

/** The race window as the header shows it: its value, or why it does nothing for this lab. */
const raceWindowText = (result: RunResult): string => {
  const why = result.notApplicable['race-window-ms'];
  return why
    ? `race window ${result.raceWindowMs} ms: not applicable to ${result.lab} — ${why}`
    : `race window ${result.raceWindowMs} ms`;
};

/** Lock waits per operation, and their share of the latency; the sum says it is one. */
const lockWaitText = (c: RunResult['contention']): string => {
  if (c.lockWaitMs === 0) return 'no lock waits';
  if (!c.lockWait) return `${formatMs(c.lockWaitMs)} ms waiting for locks, summed over operations`;
  const w = c.lockWait;
  return (
    `lock wait ${formatMs(w.meanMs)} ms per op (p99 ${formatMs(w.p99Ms)} ms), ${formatShare(w.shareOfLatency)} of latency; ` +
    `${formatMs(c.lockWaitMs)} ms summed over ops`
  );
};

/** ` over HTTP (3 replicas)` for a run through servers; nothing in process. */
const overHttpText = ({ http }: RunResult): string =>
  http
    ? ` over HTTP (${http.replicas} ${http.servers === 'target' ? 'target server' : 'replica'}${http.replicas === 1 ? '' : 's'})`
    : '';

/** Deadlocks the database detected (each one aborted an operation, which was retried or failed `deadlock`). */
const deadlockText = (c: RunResult['contention']): string =>
  c.deadlocks === undefined ? '' : `${formatCount(c.deadlocks)} deadlock${c.deadlocks === 1 ? '' : 's'} · `;

/**
 * The human-readable report of one run, as `lab run` prints it; every line fits 100 columns.
 * `signal` names what interrupted it.
 */
export const renderRunReport = (result: RunResult, title?: string, signal?: string): string => {
  // A switch shows as given (`--fencing`), or not at all when off.
  const options = Object.entries(result.options)
    .map(([k, v]) => (v === 'on' ? ` --${k}` : v === 'off' ? '' : ` --${k} ${v}`))
    .join('');
  const violations =
    result.verdict.violations.length === 0
      ? ['  none']
      : result.verdict.violations.map(
          (v) => `  ${bad(v.kind)}  ${violationSummary(v)}\n${paragraph('      e.g. ', v.example)}`,
        );
  const { latencyMs: l, contention: c } = result;
  const attempts = c.attemptsPerOk === 1 ? '1 attempt' : `${c.attemptsPerOk} attempts`;
  return [
    ...interruptionLines(result, signal),
    paragraph(`${bold('Lab')}        `, `${result.lab}${options}${title ? ` — ${title}` : ''}`),
    paragraph(
      `${bold('Scenario')}   `,
      `${result.scenario}${overHttpText(result)}, ${formatCount(result.concurrency)} clients, seed ${result.seed}, ${raceWindowText(result)}`,
    ),
    ...faultLines(result),
    '',
    textTable(expectedRows(result), '  '),
    ...unknownLines(result),
    '',
    bold('Violations'),
    ...violations,
    '',
    `${bold('Throughput')} ${formatCount(result.throughputOpsPerSec)} ops/s (${formatCount(result.counts.total)} ops in ${(result.durationMs / 1000).toFixed(2)} s)`,
    `${bold('Latency')}    p50 ${formatMs(l.p50)} ms · p95 ${formatMs(l.p95)} ms · p99 ${formatMs(l.p99)} ms · max ${formatMs(l.max)} ms`,
    ...(result.criteria ? [paragraph(`${bold('Criteria')}   `, criteriaText(result.criteria))] : []),
    ...(result.http ? [bold('By replica'), ...replicaLines(result.http)] : []),
    paragraph(
      `${bold('Contention')} `,
      `${formatCount(c.conflicts)} conflicts · ${deadlockText(c)}${formatCount(c.retries)} retries · ${attempts} per ok · ${lockWaitText(c)}`,
    ),
    '',
    `${bold('Verdict')}    ${verdictLine(result)}`,
    ...(result.expectationReason
      ? [
          paragraph(
            `${bold('Why')}        `,
            `${result.expectation} with these settings: ${result.expectationReason}`,
          ),
        ]
      : []),
  ].join('\n');
};

/** The run as JSON, without the full history (use --history for that). */
export const runResultJson = (result: RunResult): Omit<RunResult, 'history'> => {
  const { history: _history, ...rest } = result;
  return rest;
};
