import { beforeAll, describe, expect, it } from 'vitest';
import {
  DETAIL_COLUMNS,
  labsHrefFrom,
  type ReportDocument,
  readK6Summaries,
  readReportFile,
  renderMarkdownReport,
} from '../src/index.ts';
import { FIXTURE_K6, FIXTURE_REPORT } from './report-fixture.ts';

// What the fixture's labs are known to do on withdraw-storm and flash-sale: written here, not read
// from the fixture, so that a rendering that swapped or lost verdicts would fail.
const EXPECTED_VERDICTS: Record<string, 'SAFE' | 'UNSAFE'> = {
  naive: 'UNSAFE',
  mutex: 'SAFE',
  'pg-transaction': 'UNSAFE',
  optimistic: 'SAFE',
  'update-returning': 'SAFE',
  'redis-lua': 'SAFE',
};

let report: ReportDocument;
let markdown: string;

beforeAll(async () => {
  report = (await readReportFile(FIXTURE_REPORT)).report;
  const k6 = await readK6Summaries(
    [FIXTURE_K6],
    report.labs.map((lab) => lab.name),
  );
  // Links as `lab compare` writes them into reports/<timestamp>/ of a checkout: two folders up, then labs/.
  const labsHref = labsHrefFrom('/checkout/reports/2026-01-01T00-00-00', '/checkout/labs');
  markdown = renderMarkdownReport(report, { labsHref, k6 });
});

/** The cells of the "At a glance" table row of a lab. */
const glanceRow = (lab: string): string[] => {
  const glance = markdown.slice(markdown.indexOf('## At a glance'), markdown.indexOf('## Reading'));
  const line = glance.split('\n').find((l) => l.startsWith(`| [${lab}`));
  if (!line) throw new Error(`no row for ${lab} in the glance table`);
  return line.split(' | ').slice(1);
};

describe('report.md from the fixture', () => {
  it('has every lab of the fixture, linked to its README', () => {
    expect(report.settings.labs.sort()).toEqual(Object.keys(EXPECTED_VERDICTS).sort());
    for (const lab of report.settings.labs) {
      expect(markdown).toMatch(new RegExp(`\\[${lab}[^\\]]*\\]\\(\\.\\./\\.\\./labs/${lab}/README\\.md\\)`));
    }
  });

  it('shows the right verdict for every lab on every scenario', () => {
    for (const [lab, verdict] of Object.entries(EXPECTED_VERDICTS)) {
      const cells = glanceRow(lab);
      expect(cells).toHaveLength(2);
      for (const cell of cells) {
        expect(cell).toContain(`**${verdict}**`);
        expect(cell).toContain(verdict === 'SAFE' ? '✅' : '❌');
        expect(cell).not.toContain('NOT AS EXPECTED');
      }
    }
  });

  it('names the violations of unsafe cells and none for safe ones', () => {
    expect(glanceRow('naive').join(' ')).toMatch(/lost-update ×\d/);
    expect(glanceRow('update-returning').join(' ')).not.toMatch(/×\d/);
  });

  it('has one detail table per scenario with every column, and explains each column in one line', () => {
    for (const scenario of ['withdraw-storm', 'flash-sale']) expect(markdown).toContain(`### ${scenario}: `);
    const header = `| lab | ${DETAIL_COLUMNS.map((c) => c.header).join(' | ')} |`;
    expect(markdown.split(header)).toHaveLength(3);
    for (const column of DETAIL_COLUMNS) {
      expect(markdown).toContain(`- **${column.header}**: ${column.explain}`);
      expect(column.explain).not.toContain('\n');
    }
  });

  it('reports medians with the range of the repeated runs', () => {
    expect(markdown).toContain('Each cell ran 2 times');
    expect(markdown).toMatch(/\| [\d,.]+ \([\d,.]+–[\d,.]+\) \|/);
  });

  it('reads the matrix in sentences: what broke, and the cost of the safe strategies', () => {
    const reading = markdown.slice(markdown.indexOf('## Reading'), markdown.indexOf('## Details'));
    expect(reading).toContain('were UNSAFE: naive on withdraw-storm and flash-sale');
    expect(reading).toContain('Every cell matched what its lab declares');
    expect(reading).toMatch(/On withdraw-storm, the fastest safe strategy was \S+/);
  });

  it('includes the k6 summaries, in both shapes', () => {
    const k6 = markdown.slice(markdown.indexOf('## k6 runs'), markdown.indexOf('## Environment'));
    expect(k6).toContain(
      '| update-returning (`withdraw-storm-update-returning.json`) | withdraw-storm | 1 | **PASSED, as expected** | 10,000 | 1,959 | 389 | 951 | 5,000 × 200, 5,000 × 409 | none |',
    );
    expect(k6).toContain(
      '| mutex (`replicas-mutex.json`) | replicas | — | **UNSAFE** | 40 | 118 | 55.3 | — |',
    );
    expect(k6).toContain('invariant_violations ×4');
    expect(k6).toContain('✗ invariant_violations count==0');
  });

  it('records the environment', () => {
    expect(markdown).toContain(`Node ${report.environment.node}`);
    expect(markdown).toContain('Postgres: PostgreSQL');
    expect(markdown).toContain(`seed ${report.environment.seed}`);
  });
});
