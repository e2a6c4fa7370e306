import { styleText } from 'node:util';
import {
  type AnomalyCell,
  type AnomalyResult,
  type AnomalySpec,
  describeCondition,
  differsFromPublished,
  type IsolationLevel,
  type SuiteResult,
  sqlIsolationName,
  type Verdict,
} from '@concurrency-lab/anomalies';
import { textTable } from './text-table.ts';
import { TERMINAL_WIDTH, wrapText } from './wrap-text.ts';

const bold = (text: string) => styleText('bold', text);

// Capitals make the cells where the database let the anomaly happen stand out in the table.
const verdictText = (verdict: Verdict): string => (verdict === 'possible' ? 'POSSIBLE' : 'prevented');

const DIFFERS = '*';

const cellText = (cell: AnomalyCell): string =>
  `${verdictText(cell.verdict)}${differsFromPublished(cell) ? ` ${DIFFERS}` : ''}`;

/** "PostgreSQL 15.20 (Debian …)" out of version()'s "… on x86_64-pc-linux-gnu, compiled by …". */
const shortVersion = (version: string): string => version.split(' on ')[0] ?? version;

const truncate = (text: string, width: number): string =>
  [...text].length <= width ? text : `${[...text].slice(0, Math.max(1, width - 1)).join('')}…`;

/** The table anomaly × level; the name column gives way so that it fits TERMINAL_WIDTH. */
const renderTable = (result: SuiteResult): string => {
  const indent = '  ';
  const levelRows = result.anomalies.map((anomaly) => anomaly.cells.map(cellText));
  const levelTitles = result.levels.map(sqlIsolationName);
  const columnWidth = (index: number) =>
    Math.max(
      [...(levelTitles[index] ?? '')].length,
      ...levelRows.map((row) => [...(row[index] ?? '')].length),
    );
  const idWidth = Math.max(7, ...result.anomalies.map((anomaly) => anomaly.spec.id.length));
  const fixed =
    indent.length + idWidth + result.levels.reduce((sum, _, index) => sum + 2 + columnWidth(index), 2);
  const nameWidth = Math.max(10, TERMINAL_WIDTH - fixed);
  const rows = result.anomalies.map((anomaly, index) => [
    anomaly.spec.id,
    truncate(anomaly.spec.name, nameWidth),
    ...(levelRows[index] ?? []),
  ]);
  return textTable([['anomaly', 'what goes wrong', ...levelTitles], ...rows], indent);
};

/** Under the table: which cells differ from their published source, or that none does. */
const renderAgreement = (result: SuiteResult): string[] => {
  const cells = result.anomalies.flatMap((anomaly) => anomaly.cells.map((cell) => ({ anomaly, cell })));
  const compared = cells.filter(({ cell }) => cell.published !== undefined);
  const sources = [...new Set(compared.map(({ anomaly }) => anomaly.spec.published?.source))];
  const differing = compared.filter(({ cell }) => differsFromPublished(cell));
  const lines: string[] = [];
  if (compared.length > 0 && differing.length === 0) {
    lines.push(`Every cell agrees with what ${sources.join(' and ')} published.`);
  }
  for (const { anomaly, cell } of differing) {
    lines.push(
      `${DIFFERS} ${anomaly.spec.id} at ${sqlIsolationName(cell.level)}: this server ` +
        `(${shortVersion(result.serverVersion)}) behaves differently from ${anomaly.spec.published?.source}, which ` +
        `found it ${cell.published}.`,
    );
  }
  const unpublished = result.anomalies.filter((anomaly) => !anomaly.spec.published).map((a) => a.spec.id);
  if (unpublished.length > 0) lines.push(`No published result to compare for ${unpublished.join(', ')}.`);
  return lines.flatMap((line) => wrapText(line, TERMINAL_WIDTH, '  ', '    '));
};

const oneLine = (sql: string): string => sql.replace(/\s+/g, ' ').trim();

/** The spec as a learner reads it: description, setup, each session's steps, each permutation. */
const renderSpec = (spec: AnomalySpec): string[] => {
  const stepWidth = Math.max(
    ...spec.sessions.flatMap((session) => session.steps.map((step) => step.name.length)),
  );
  const sessionWidth = Math.max(...spec.sessions.map((session) => session.name.length));
  const lines = [
    ...wrapText(spec.description, TERMINAL_WIDTH, '  '),
    ...(spec.setup ? wrapText(oneLine(spec.setup), TERMINAL_WIDTH, '  setup  ', '         ') : []),
  ];
  for (const session of spec.sessions) {
    session.steps.forEach((step, index) => {
      const label = `  ${(index === 0 ? session.name : '').padEnd(sessionWidth)}  ${step.name.padEnd(stepWidth)}  `;
      lines.push(...wrapText(oneLine(step.sql), TERMINAL_WIDTH, label, ' '.repeat(label.length)));
    });
  }
  for (const permutation of spec.permutations) {
    const title = spec.permutations.length > 1 ? `permutation ${permutation.name}` : 'permutation';
    lines.push(...wrapText(permutation.steps.join(' → '), TERMINAL_WIDTH, `  ${title}: `, '    '));
    const conditions = permutation.anomalyIf.map(describeCondition).join('; and ');
    lines.push(...wrapText(conditions, TERMINAL_WIDTH, '  anomaly if: ', '    '));
  }
  return lines;
};

/** Why each level got its verdict, from what the server did in each permutation. */
const renderCell = (spec: AnomalySpec, cell: AnomalyCell, levelWidth: number): string[] => {
  const published = differsFromPublished(cell)
    ? ` (${DIFFERS} ${spec.published?.source} found it ${cell.published})`
    : '';
  const head = `  ${sqlIsolationName(cell.level).padEnd(levelWidth)}  `;
  const hang = ' '.repeat(head.length);
  const verdict = `${verdictText(cell.verdict)}${published}`;
  const [only, ...more] = cell.permutations;
  if (only && more.length === 0) {
    return wrapText(`${verdict}: ${only.explanation.join('; ')}`, TERMINAL_WIDTH, head, hang);
  }
  return [
    `${head}${verdict}`,
    ...cell.permutations.flatMap((result) =>
      wrapText(
        `${result.permutation} ${verdictText(result.verdict)}: ${result.explanation.join('; ')}`,
        TERMINAL_WIDTH,
        hang,
        `${hang}  `,
      ),
    ),
  ];
};

const renderAnomaly = (anomaly: AnomalyResult, levels: readonly IsolationLevel[]): string[] => {
  const levelWidth = Math.max(...levels.map((level) => sqlIsolationName(level).length));
  return [
    '',
    bold(`${anomaly.spec.id} · ${anomaly.spec.name}`),
    ...renderSpec(anomaly.spec),
    ...anomaly.cells.flatMap((cell) => renderCell(anomaly.spec, cell, levelWidth)),
  ];
};

/** The whole report of `lab anomalies`: the table, its agreement with published results, then each test. */
export const renderAnomalyReport = (result: SuiteResult, where: string): string =>
  [
    ...wrapText(`Isolation anomalies · ${shortVersion(result.serverVersion)} · ${where}`, TERMINAL_WIDTH).map(
      bold,
    ),
    '',
    renderTable(result),
    '',
    '  POSSIBLE: this run showed the anomaly. prevented: it did not (a step blocked, a transaction',
    '  was aborted, or a read did not see the other transaction). Why, for each cell, below.',
    ...renderAgreement(result),
    ...result.anomalies.flatMap((anomaly) => renderAnomaly(anomaly, result.levels)),
  ].join('\n');
