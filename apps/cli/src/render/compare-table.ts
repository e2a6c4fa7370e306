import { styleText } from 'node:util';
import {
  type Cell,
  formatMs,
  formatSpread,
  type K6Run,
  type ReportDocument,
  type ReportMatrix,
  recommend,
  summarizeReport,
  verdictText,
  violationText,
} from '@concurrency-lab/report';
import { TERMINAL_WIDTH, wrapText } from './wrap-text.ts';

const GAP = '  ';
const INDENT = '  ';
/** Kept whole by the layout, so that colour can find it afterwards; the same width as the words. */
const SURPRISE = 'NOT_AS_EXPECTED';

const HEADER = ['lab', 'verdict', 'ok', 'fail', 'ops/s', 'p99 ms', 'retries/op', 'wait ms/op'];
const NUMERIC = [false, false, true, false, true, true, true, true];
const FAIL_COLUMN = 3;

/** A measurement: the median, and under it the range of repeated runs where they differed. */
const measure = (spread: Cell['ok'], format?: (n: number) => string) =>
  formatSpread(spread, format).replace(' (', '\n(');

/** One row of a scenario's table; `\n` separates what goes on lines of its own. */
const row = (cell: Cell): string[] => [
  cell.row.label,
  `${verdictText(cell)}${cell.matchesExpectation ? '' : `\n${SURPRISE}`}`,
  measure(cell.ok),
  Object.entries(cell.failByReason)
    .filter(([, spread]) => spread.max > 0)
    .map(([reason, spread]) => `${formatSpread(spread)} ${reason}`)
    .join('\n') || '0',
  measure(cell.throughput),
  measure(cell.p99, formatMs),
  measure(cell.retriesPerOp),
  measure(cell.lockWaitPerOpMs, formatMs),
];

/** The parts a word may be broken into: after `-`, `_`, `=`, `/` or the `–` of a range (never inside 1,341). */
const atomsOf = (word: string): string[] => word.match(/[^-_=/–]*[-_=/–]?/g)?.filter(Boolean) ?? [word];

/** A word split at its atoms into pieces of at most `width` (cut where an atom is longer). */
const pieces = (word: string, width: number): string[] => {
  const atoms = atomsOf(word);
  const out: string[] = [];
  let piece = '';
  for (const atom of atoms) {
    if (piece && piece.length + atom.length > width) {
      out.push(piece);
      piece = '';
    }
    piece += atom;
    while (piece.length > width) {
      out.push(piece.slice(0, width));
      piece = piece.slice(width);
    }
  }
  return piece ? [...out, piece] : out;
};

/** `text` in lines of at most `width`: at spaces where it can, inside a long word where it must. */
const wrapCell = (text: string, width: number): string[] =>
  text.split('\n').flatMap((paragraph) => {
    const words = paragraph.split(' ').flatMap((word) => pieces(word, width));
    return wrapText(words.join(' '), width);
  });

const wordsOf = (text: string) => text.split(/[ \n]/);
const longestWord = (text: string) => Math.max(0, ...wordsOf(text).map((word) => word.length));
const longestAtom = (text: string) =>
  Math.max(0, ...wordsOf(text).flatMap((word) => atomsOf(word).map((atom) => atom.length)));
const longestLine = (text: string) => Math.max(0, ...text.split('\n').map((line) => line.length));

/**
 * Rows in aligned columns that fit `width` in all: the widest columns are narrowed first, down to
 * their longest word, and only then inside words (at a `-`, `_` or `=` where there is one); cells wrap.
 */
const fitTable = (header: readonly string[], rows: readonly string[][], width: number): string[] => {
  const all = [header as string[], ...rows];
  const room = width - INDENT.length - GAP.length * (header.length - 1);
  const widths = header.map((_, i) => Math.max(...all.map((r) => longestLine(r[i] ?? ''))));
  const words = header.map((_, i) => Math.max(...all.map((r) => longestWord(r[i] ?? ''))));
  const narrow = (floor: (i: number) => number) => {
    while (widths.reduce((a, b) => a + b, 0) > room) {
      const widest = widths.reduce((best, w, i) => (w > floor(i) && w > (widths[best] ?? 0) ? i : best), -1);
      if (widest < 0) return;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  };
  narrow((i) => Math.max(words[i] ?? 0, (header[i] ?? '').length));
  // Then the lab and the fail reasons break inside words where those allow it (never inside a lab's
  // name); then a range of repeated runs at its dash; the verdict never (NOT AS EXPECTED reads, and
  // is coloured, as one phrase), nor a header.
  const head = (i: number) => (header[i] ?? '').length;
  const atoms = header.map((_, i) => Math.max(head(i), ...rows.map((r) => longestAtom(r[i] ?? ''))));
  const labNames = Math.max(...rows.map((r) => (r[0] ?? '').split(' ')[0]?.length ?? 0));
  const whole = (i: number) => Math.max(words[i] ?? 0, head(i));
  narrow((i) => (i === 0 ? labNames : i === FAIL_COLUMN ? (atoms[i] ?? 0) : whole(i)));
  narrow((i) =>
    NUMERIC[i] ? (atoms[i] ?? 0) : i === 0 ? labNames : i === FAIL_COLUMN ? (atoms[i] ?? 0) : whole(i),
  );
  const lines = (cells: readonly string[]) => {
    const wrapped = cells.map((cell, i) => wrapCell(cell, widths[i] ?? 1));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, n) =>
      (
        INDENT +
        wrapped
          .map((cell, i) => {
            const text = cell[n] ?? '';
            const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - text.length));
            return NUMERIC[i] ? pad + text : text + pad;
          })
          .join(GAP)
      ).trimEnd(),
    );
  };
  return [...lines(header), INDENT + widths.map((w) => '─'.repeat(w)).join(GAP), ...rows.flatMap(lines)];
};

// Colour is added after the layout: the layout counts characters, and escape codes would skew it.
const colour = (text: string) =>
  text
    .replace(/\bUNSAFE\b/g, (word) => styleText(['red', 'bold'], word))
    .replace(/\bSAFE\b/g, (word) => styleText('green', word))
    .replace(/\bERROR\b/g, (word) => styleText(['red', 'bold'], word))
    .replace(/\bUNKNOWN\b/g, (word) => styleText('yellow', word))
    .replace(new RegExp(SURPRISE, 'g'), () => styleText(['red', 'bold', 'underline'], 'NOT AS EXPECTED'));

const paragraph = (text: string, first = INDENT, rest = first) =>
  wrapText(text, TERMINAL_WIDTH, first, rest).join('\n');

/**
 * One table per scenario, a row per lab variant with its verdict and what it cost; under it, what
 * broke in each unsafe row, one paragraph each (kinds with their units do not fit a column).
 */
const scenarioTables = (matrix: ReportMatrix): string[] =>
  matrix.scenarios.flatMap((scenario) => {
    const rows: string[][] = [];
    const broken: string[] = [];
    for (const labRow of matrix.rows) {
      const cell = matrix.cell(labRow.key, scenario);
      const failed = matrix.errors(labRow.key, scenario);
      if (cell) rows.push(row(cell));
      if (cell && cell.violations.length > 0)
        broken.push(
          paragraph(`${labRow.label}: ${cell.violations.map(violationText).join('; ')}`, INDENT, '      '),
        );
      if (failed.length > 0) {
        rows.push([labRow.label, 'ERROR']);
        broken.push(
          paragraph(`${labRow.label}: ERROR ${failed.map((e) => e.message).join('; ')}`, INDENT, '      '),
        );
      }
    }
    if (rows.length === 0) return [];
    return [
      scenario,
      ...fitTable(HEADER, rows, TERMINAL_WIDTH),
      ...(broken.length > 0 ? ['', `  Violations on ${scenario}:`, ...broken] : []),
      '',
    ];
  });

/** The short form of "Which one should I pick?": per situation, the first safe strategies and the unsafe ones. */
const pickLines = (report: ReportDocument, matrix: ReportMatrix, k6: readonly K6Run[]): string[] => [
  'Which one should I pick? (safe strategies by throughput, then p99; all of it in report.md)',
  ...recommend(report, matrix, k6).flatMap((advice) => [
    paragraph(advice.situation.title),
    ...advice.ranked
      .slice(0, 3)
      .map((r) => paragraph(`${r.rank}. ${r.row.label}: ${r.costs.join('; ')}`, '    ', '       ')),
    ...(advice.ranked.length > 3 ? [paragraph(`… and ${advice.ranked.length - 3} more`, '    ')] : []),
    ...(advice.none ? [paragraph(advice.none, '    ')] : []),
    ...(advice.unsafe.length > 0
      ? [paragraph(`not safe here: ${advice.unsafe.map((r) => r.row.label).join(', ')}`, '    ', '      ')]
      : []),
  ]),
];

/**
 * What `lab compare` prints when it is done: a table per scenario, the columns explained, and the
 * short form of the recommendation; every line within TERMINAL_WIDTH columns.
 */
export const renderCompareTable = (report: ReportDocument, k6: readonly K6Run[] = []): string => {
  const matrix = summarizeReport(report);
  const legend = [
    'verdict: SAFE, UNSAFE or UNKNOWN; NOT AS EXPECTED where the lab declares otherwise.',
    'Violations: events, in what each kind counts, then · the amount involved.',
    'fail: operations refused, by reason. retries/op: retries per operation.',
    'wait ms/op: lock wait of one operation, mean (its p99 and share of latency are in report.md).',
    ...(matrix.repeat > 1
      ? [`Medians of ${matrix.repeat} runs; (lowest–highest) where the runs differed.`]
      : []),
  ];
  return [
    ...scenarioTables(matrix),
    ...legend.map((line) => paragraph(line)),
    '',
    ...pickLines(report, matrix, k6),
  ]
    .map(colour)
    .join('\n');
};
