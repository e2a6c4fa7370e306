import type { Cell, CellCriteria, ReplicaSpread } from './cell-summary.ts';
import { formatMs, formatNumber, formatSpread } from './number-format.ts';
import type { ReportSettings, RunJson } from './report-schema.ts';

type Criteria = NonNullable<RunJson['criteria']>;

/**
 * `812 ops/s ≥ 100 ✓, mean 45 ms < 200 ✓, p99 310 ms < 1,000 ✓`: each criterion with its value and
 * mark; `mark` dresses the ✓ or ✗ (colour on a terminal).
 */
export const criteriaChecksText = (
  criteria: Criteria,
  mark: (passed: boolean) => string = (passed) => (passed ? '✓' : '✗'),
): string =>
  criteria.checks
    .map((c) =>
      c.measure === 'throughput'
        ? `${formatNumber(c.actual)} ops/s ≥ ${formatNumber(c.limit)} ${mark(c.passed)}`
        : `${c.measure} ${formatMs(c.actual)} ms < ${formatNumber(c.limit)} ${mark(c.passed)}`,
    )
    .join(', ');

/** `criteria (stress): … — met` for one run, or `met in 2/3 runs` for a repeated cell. */
export const cellCriteriaText = ({ first, met, runs }: CellCriteria): string => {
  const outcome = runs > 1 ? `met in ${met}/${runs} runs` : met === 1 ? 'met' : 'missed';
  return `criteria (${first.tier}): ${criteriaChecksText(first)}${runs > 1 ? ' (first run)' : ''} — ${outcome}`;
};

/** `replica 1: 3 ok, 12 fail, 0 info` (medians with their range when repeated runs differ). */
export const replicaText = (r: ReplicaSpread): string =>
  `replica ${r.replica}: ${formatSpread(r.ok)} ok, ${formatSpread(r.fail)} fail, ${formatSpread(r.info)} info`;

/** The cells that ran over HTTP, in matrix order. */
export const httpCells = (cells: readonly Cell[]): Cell[] => cells.filter((cell) => cell.byReplica);

/** Why the section exists, in one line, the same in report.md and report.html. */
export const HTTP_SECTION_NOTE =
  'Runs over HTTP (--http): ok / fail / info by the replica that answered (client i talks to replica i mod N), and the load-test suite’s success criteria (each line names its marks: basic or stress); a miss is information, not a failure.';

/** `update-returning × withdraw-storm` with its replicas and criteria, one line each, for a cell over HTTP. */
export const httpCellLines = (cell: Cell): { readonly title: string; readonly lines: readonly string[] } => ({
  title: `${cell.row.label} × ${cell.scenario}`,
  lines: [
    ...(cell.byReplica ?? []).map(replicaText),
    ...(cell.criteria ? [cellCriteriaText(cell.criteria)] : []),
  ],
});

/** `in process`, or `over HTTP through 3 replicas started for it` (or `… servers given by --target`). */
export const servedText = (http: ReportSettings['http']): string =>
  http === null
    ? 'in process'
    : `over HTTP through ${http.replicas === 1 ? '1 replica' : `${http.replicas} replicas`} ${
        http.servers === 'started' ? 'started for it' : 'given by --target'
      }`;
