import type { Cell, ReportMatrix } from './cell-summary.ts';
import { VERDICT_TEXT } from './cell-text.ts';
import { countOf, formatNumber, formatSpread } from './number-format.ts';
import type { ReportDocument } from './report-schema.ts';

const where = (cell: Cell) => `${cell.row.label} on ${cell.scenario}`;

const listed = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join('; ')}; and ${items[items.length - 1]}`;

const listedAnd = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** Where the most of something happened, if anywhere; ties go to the earlier cell. */
const mostOf = (cells: readonly Cell[], pick: (cell: Cell) => number): Cell | undefined =>
  cells.reduce<Cell | undefined>(
    (best, cell) => (pick(cell) > (best ? pick(best) : 0) ? cell : best),
    undefined,
  );

/**
 * A short reading of the matrix in plain sentences: correctness first (which cells broke, and
 * whether each lab kept its promise), then cost among the safe strategies, then caveats.
 */
export const readReport = (report: ReportDocument, matrix: ReportMatrix): string[] => {
  const { cells } = matrix;
  const lines: string[] = [];
  const unsafe = cells.filter((c) => c.verdict === 'unsafe');
  const unknown = cells.filter((c) => c.verdict === 'unknown');
  const safe = cells.filter((c) => c.verdict === 'safe');
  if (report.errors.length > 0) {
    lines.push(
      `NOT AS EXPECTED: ${countOf(report.errors.length, 'runs')} could not be carried out (see below); their cells prove nothing.`,
    );
  }

  if (unsafe.length === 0 && unknown.length === 0) {
    lines.push(`All ${countOf(cells.length, 'cells')} kept every invariant.`);
  } else {
    // By lab, not by cell: "naive on withdraw-storm, flash-sale and mixed" reads faster than a list of cells.
    const byLab = new Map<string, string[]>();
    for (const cell of unsafe)
      byLab.set(cell.row.label, [...(byLab.get(cell.row.label) ?? []), cell.scenario]);
    const kinds = new Map<string, number>();
    for (const cell of unsafe)
      for (const v of cell.violations) kinds.set(v.kind, (kinds.get(v.kind) ?? 0) + v.count.median);
    const common = [...kinds]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([kind]) => kind);
    lines.push(
      `Of ${countOf(cells.length, 'cells')}, ${formatNumber(safe.length)} kept every invariant` +
        (unsafe.length > 0
          ? ` and ${formatNumber(unsafe.length)} ${unsafe.length === 1 ? 'was' : 'were'} ${VERDICT_TEXT.unsafe}: ` +
            `${listed([...byLab].map(([lab, scenarios]) => `${lab} on ${listedAnd(scenarios)}`))}` +
            ` (most often ${listedAnd(common)}).`
          : '.'),
    );
    if (unknown.length > 0) {
      lines.push(
        `${VERDICT_TEXT.unknown} (operations of unknown outcome leave the check undecided): ${listed(unknown.map(where))}.`,
      );
    }
  }

  const surprises = cells.filter((c) => !c.matchesExpectation);
  if (surprises.length === 0) {
    lines.push('Every cell matched what its lab declares: the unsafe labs broke and the safe ones held.');
  } else {
    lines.push(
      `NOT AS EXPECTED: ${listed(surprises.map((c) => `${where(c)} should be ${c.expectation} but was ${VERDICT_TEXT[c.verdict]}`))}.`,
    );
    if (surprises.some((c) => c.expectation === 'unsafe')) {
      lines.push(
        'An unsafe lab that passes was lucky, not correct: widen the race with --race-window-ms or run more operations.',
      );
    }
  }

  for (const scenario of matrix.scenarios) {
    const held = safe
      .filter((c) => c.scenario === scenario)
      .sort((a, b) => b.throughput.median - a.throughput.median);
    const fastest = held[0];
    const slowest = held[held.length - 1];
    if (!fastest || !slowest) continue;
    let line = `On ${scenario}, the fastest safe strategy was ${fastest.row.label} (${formatSpread(fastest.throughput)} ops/s, p99 ${formatSpread(fastest.p99)} ms)`;
    if (slowest !== fastest && slowest.throughput.median > 0) {
      const ratio = fastest.throughput.median / slowest.throughput.median;
      line += `; the slowest was ${slowest.row.label} (${formatSpread(slowest.throughput)} ops/s, ${formatNumber(Number(ratio.toFixed(1)))}× slower)`;
    }
    lines.push(`${line}.`);
  }
  if (unsafe.length > 0) {
    lines.push(
      'The speed of an unsafe cell is not a saving: it skipped the waiting that makes a result correct.',
    );
  }

  const retried = mostOf(cells, (c) => c.retries.median);
  if (retried) {
    lines.push(
      `Most retries: ${where(retried)} (${formatSpread(retried.retries)} retries, ${formatSpread(retried.attemptsPerOk)} attempts per ok operation).`,
    );
  }
  const waited = mostOf(cells, (c) => c.lockWaitPerOpMs.median);
  if (waited) {
    lines.push(
      `Longest lock waits: ${where(waited)} (${formatSpread(waited.lockWaitPerOpMs)} ms per operation, against a p50 latency of ${formatSpread(waited.p50)} ms).`,
    );
  }

  if (matrix.repeat > 1) {
    lines.push(
      `Each cell ran ${matrix.repeat} times; numbers are medians followed by the (lowest–highest) value, because these machines are noisy.`,
    );
  }
  if (report.settings.ops !== null) {
    lines.push(
      `Scenarios were scaled down to about ${formatNumber(report.settings.ops)} operations each (--ops); the catalog sizes give steadier numbers.`,
    );
  }
  return lines;
};
