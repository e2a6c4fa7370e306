import { styleText } from 'node:util';
import {
  type Cell,
  formatSpread,
  type ReportDocument,
  summarizeReport,
  verdictText,
  violationsText,
} from '@concurrency-lab/report';
import { textTable } from './text-table.ts';

const HEADER = [
  'lab',
  'scenario',
  'verdict',
  'expected',
  'violations',
  'ok',
  'fail',
  'ops/s',
  'p50 ms',
  'p99 ms',
  'retries',
  'wait ms/op',
];

const row = (cell: Cell): string[] => [
  cell.row.label,
  cell.scenario,
  verdictText(cell),
  cell.matchesExpectation ? `${cell.expectation} ✓` : `${cell.expectation}: NOT AS EXPECTED`,
  violationsText(cell),
  formatSpread(cell.ok),
  formatSpread(cell.fail),
  formatSpread(cell.throughput),
  formatSpread(cell.p50),
  formatSpread(cell.p99),
  formatSpread(cell.retries),
  formatSpread(cell.lockWaitPerOpMs),
];

// Colour is added after the layout: textTable counts characters, and escape codes would skew it.
const colour = (text: string) =>
  text
    .replace(/\bUNSAFE\b/g, (word) => styleText(['red', 'bold'], word))
    .replace(/\bSAFE\b/g, (word) => styleText('green', word))
    .replace(/\bERROR\b/g, (word) => styleText(['red', 'bold'], word))
    .replace(/\bUNKNOWN\b/g, (word) => styleText('yellow', word))
    .replace(/NOT AS EXPECTED/g, (words) => styleText(['red', 'bold', 'underline'], words));

/** The matrix as `lab compare` prints it: one line per lab and scenario, grouped by scenario. */
export const renderCompareTable = (report: ReportDocument): string => {
  const matrix = summarizeReport(report);
  const rows: string[][] = [];
  for (const scenario of matrix.scenarios) {
    for (const labRow of matrix.rows) {
      const cell = matrix.cell(labRow.key, scenario);
      const failed = matrix.errors(labRow.key, scenario);
      if (cell) rows.push(row(cell));
      if (failed.length > 0) {
        rows.push([labRow.label, scenario, 'ERROR', `${failed.length} run(s) could not be carried out`]);
      }
    }
  }
  const note =
    matrix.repeat > 1
      ? `\n  Medians of ${matrix.repeat} runs; (lowest–highest) where the runs differed.`
      : '';
  return colour(textTable([HEADER, ...rows], '  ')) + note;
};
