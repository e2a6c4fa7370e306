import { type Cell, type CellViolation, type ReportMatrix, rowOf } from './cell-summary.ts';
import { formatNumber } from './number-format.ts';
import type { LabInfo, ReportDocument, RunError, RunJson, ScenarioInfo } from './report-schema.ts';

// What report.md and report.html both show, as data: each renderer lays it out in its own markup.

/** The title of both pages. */
export const REPORT_TITLE = 'Concurrency lab: comparison report';

/** What the words of the legend under the matrix mean. */
export const VERDICT_MEANINGS = {
  safe: 'no violation and exactly the expected outcome',
  unsafe: 'at least one invariant broke',
  unknown: 'undecided',
  surprise: 'the verdict differs from what the lab declares',
} as const;

/** What report.json says about the lab called `name`, if it says anything. */
export const labInfo = (report: ReportDocument, name: string): LabInfo | undefined =>
  report.labs.find((lab) => lab.name === name);

/** The labs of the matrix's rows, each once and in row order, with what report.json says about each. */
export const reportLabs = (
  report: ReportDocument,
  matrix: ReportMatrix,
): { readonly name: string; readonly info: LabInfo | undefined }[] =>
  [...new Set(matrix.rows.map((row) => row.lab))].map((name) => ({ name, info: labInfo(report, name) }));

/** The row label of a run that could not be carried out, as its cell's row is labelled. */
export const errorLabel = (report: ReportDocument, error: RunError): string =>
  rowOf(error, labInfo(report, error.lab)).label;

/** What a correct strategy ends with, as the scenario states it. */
export const expectedText = (run: RunJson): string => {
  const parts: string[] = [];
  const { expected } = run;
  if (expected.ok !== undefined) parts.push(`${formatNumber(expected.ok)} ok`);
  for (const [reason, n] of Object.entries(expected.fail ?? {})) parts.push(`${formatNumber(n)} ${reason}`);
  for (const [id, balance] of Object.entries(expected.balances ?? {}))
    parts.push(`account ${id} ends at ${formatNumber(balance)}`);
  for (const [sku, item] of Object.entries(expected.items ?? {}))
    parts.push(
      `${sku} ends ${formatNumber(item.available)} available / ${formatNumber(item.reserved)} reserved`,
    );
  return parts.length > 0 ? parts.join(', ') : 'only the invariants (no fixed outcome)';
};

/** The details of one scenario: its cells in row order, and one example of each violation in them. */
export interface ScenarioDetails {
  readonly scenario: string;
  /** What report.json says about the scenario, if it says anything. */
  readonly info: ScenarioInfo | undefined;
  readonly cells: readonly Cell[];
  /** What a correct strategy ends with (see expectedText), when any cell ran. */
  readonly expected: string | undefined;
  readonly examples: readonly { readonly cell: Cell; readonly violation: CellViolation }[];
}

/** The details section of `scenario` (see ScenarioDetails). */
export const scenarioDetails = (
  report: ReportDocument,
  matrix: ReportMatrix,
  scenario: string,
): ScenarioDetails => {
  const cells = matrix.rows.flatMap((row) => matrix.cell(row.key, scenario) ?? []);
  const first = cells[0]?.runs[0];
  return {
    scenario,
    info: report.scenarios.find((s) => s.name === scenario),
    cells,
    expected: first ? expectedText(first) : undefined,
    examples: cells.flatMap((cell) => cell.violations.map((violation) => ({ cell, violation }))),
  };
};
