import { styleText } from 'node:util';
import type { RunResult } from '@concurrency-lab/harness';
import { textTable } from './text-table.ts';

const bold = (text: string) => styleText('bold', text);
const good = (text: string) => styleText('green', text);
const bad = (text: string) => styleText('red', text);

const expectedRows = (result: RunResult): string[][] => {
  const { counts, expected, finalState } = result;
  const want = (value: number | undefined) => (value === undefined ? '—' : String(value));
  const rows = [
    ['outcome', 'expected', 'actual'],
    ['ok', want(expected.ok), String(counts.ok)],
  ];
  const reasons = new Set([...Object.keys(expected.fail ?? {}), ...Object.keys(counts.fail)]);
  for (const reason of reasons) {
    const key = reason as keyof typeof counts.fail;
    rows.push([`fail: ${reason}`, want(expected.fail?.[key]), String(counts.fail[key] ?? 0)]);
  }
  rows.push(['info (unknown)', '0', String(counts.info)]);
  for (const account of finalState.accounts) {
    rows.push([
      `final balance of account ${account.id}`,
      want(expected.balances?.[account.id]),
      String(account.balance),
    ]);
  }
  for (const item of finalState.items) {
    const w = expected.items?.[item.sku];
    rows.push([
      `final ${item.sku} available / reserved`,
      w ? `${w.available} / ${w.reserved}` : '—',
      `${item.available} / ${item.reserved}`,
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
  return [...lines, ''];
};

/** The human-readable report of one run, as `lab run` prints it; `signal` names what interrupted it. */
export const renderRunReport = (result: RunResult, title?: string, signal?: string): string => {
  const options = Object.entries(result.options)
    .map(([k, v]) => ` --${k} ${v}`)
    .join('');
  const violations =
    result.verdict.violations.length === 0
      ? ['  none']
      : result.verdict.violations.map((v) => `  ${bad(v.kind)} ×${v.count}\n      e.g. ${v.example}`);
  const { latencyMs: l, contention: c } = result;
  return [
    ...interruptionLines(result, signal),
    `${bold('Lab')}        ${result.lab}${options}${title ? ` — ${title}` : ''}`,
    `${bold('Scenario')}   ${result.scenario}, ${result.concurrency} clients, seed ${result.seed}, race window ${result.raceWindowMs} ms`,
    '',
    textTable(expectedRows(result), '  '),
    '',
    bold('Violations'),
    ...violations,
    '',
    `${bold('Throughput')} ${result.throughputOpsPerSec} ops/s (${result.counts.total} ops in ${(result.durationMs / 1000).toFixed(2)} s)`,
    `${bold('Latency')}    p50 ${l.p50} ms · p95 ${l.p95} ms · p99 ${l.p99} ms · max ${l.max} ms`,
    `${bold('Contention')} ${c.conflicts} conflicts · ${c.retries} retries · ${c.lockWaitMs} ms waiting for locks · ${c.attemptsPerOk} attempts per ok`,
    '',
    `${bold('Verdict')}    ${verdictLine(result)}`,
  ].join('\n');
};

/** The run as JSON, without the full history (use --history for that). */
export const runResultJson = (result: RunResult): Omit<RunResult, 'history'> => {
  const { history: _history, ...rest } = result;
  return rest;
};
