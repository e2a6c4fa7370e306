import { beforeAll, describe, expect, it } from 'vitest';
import {
  DETAIL_COLUMNS,
  labsHrefFrom,
  type ReportDocument,
  readK6Summaries,
  readReportFile,
  renderMarkdownReport,
} from '../src/index.ts';
import { FIXTURE_K6, FIXTURE_REPORT, FIXTURE_REPORT_V1 } from './report-fixture.ts';

// What the fixture's rows are known to do on withdraw-storm and flash-sale: written here, not read
// from the fixture, so that a rendering that swapped or lost verdicts would fail.
const EXPECTED_VERDICTS: Record<string, 'SAFE' | 'UNSAFE'> = {
  naive: 'UNSAFE',
  mutex: 'SAFE',
  'pg-transaction (isolation=read-committed)': 'UNSAFE',
  'pg-transaction (isolation=repeatable-read)': 'SAFE',
  'pg-transaction (isolation=serializable)': 'SAFE',
  optimistic: 'SAFE',
  'update-returning': 'SAFE',
  'redis-lua': 'SAFE',
  redlock: 'SAFE',
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

/** The cells of the "At a glance" table row of a lab variant. */
const glanceRow = (label: string): string[] => {
  const glance = markdown.slice(markdown.indexOf('## At a glance'), markdown.indexOf('## Reading'));
  const line = glance.split('\n').find((l) => l.startsWith(`| [${label}]`));
  if (!line) throw new Error(`no row for ${label} in the glance table`);
  return line.split(' | ').slice(1);
};

describe('report.md from the fixture', () => {
  it('has every lab of the fixture, linked to its README', () => {
    expect([...report.settings.labs].sort()).toEqual(
      [...new Set(Object.keys(EXPECTED_VERDICTS).map((label) => label.split(' ')[0]))].sort(),
    );
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
    expect(glanceRow('naive').join(' ')).toMatch(/lost-update [\d.]+(?: \([\d–]+\))? operations/);
    expect(glanceRow('update-returning').join(' ')).not.toMatch(/operations|×/);
  });

  it('gives every violation its events with their unit, and the amount apart, in tables and examples', () => {
    const storm = markdown.slice(markdown.indexOf('### withdraw-storm'), markdown.indexOf('### flash-sale'));
    const naive = storm.split('\n').find((l) => l.startsWith('| [naive]'));
    expect(naive).toMatch(/money-created 1 account · [\d,.]+(?: \([\d,–]+\))? money/);
    expect(naive).toMatch(/unexpected-outcome 2 outcome counts/);
    expect(naive).not.toMatch(/×\d/);
    expect(storm).toMatch(
      /- naive, money-created \(1 account · [\d,.]+(?: \([\d,–]+\))? money\): account:1 started at/,
    );
    expect(storm).toMatch(/- naive, lost-update \([\d.]+(?: \([\d–]+\))? operations\): /);
  });

  it('shows lock waits per operation with their p99 and share, and no sum', () => {
    const header = `| lab | ${DETAIL_COLUMNS.map((c) => c.header).join(' | ')} |`;
    expect(header).toContain('| wait ms/op | wait p99 ms | wait share |');
    const storm = markdown.slice(markdown.indexOf('### withdraw-storm'), markdown.indexOf('### flash-sale'));
    const mutex =
      storm
        .split('\n')
        .find((l) => l.startsWith('| [mutex]'))
        ?.split(' | ') ?? [];
    const at = (name: string) => mutex[DETAIL_COLUMNS.findIndex((c) => c.header === name) + 1] ?? '';
    expect(Number.parseFloat(at('wait ms/op'))).toBeGreaterThan(0);
    expect(at('wait share')).toMatch(/^\d+%/);
    expect(markdown).not.toMatch(/ms waiting for locks(?!, summed)/);
  });

  it('says at the top when a report is of format 1, and what it lacks', async () => {
    const { report: old } = await readReportFile(FIXTURE_REPORT_V1);
    const page = renderMarkdownReport(old, {});
    expect(page).toContain('> This report.json is in format 1');
    expect(page).toMatch(/money-created ×\d/);
    expect(markdown).not.toContain('format 1');
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
    // Fastest per store: Redis never crowns itself over the strategies that keep their data in Postgres.
    expect(reading).toMatch(
      /On withdraw-storm, the fastest safe strategy was \S+ with the data in Postgres \(.*\); and redis-lua with the data in Redis/,
    );
  });

  it('includes the k6 summaries, in both shapes', () => {
    const k6 = markdown.slice(markdown.indexOf('## k6 runs'), markdown.indexOf('## Environment'));
    expect(k6).toContain(
      '| update-returning (`withdraw-storm-update-returning.json`) | withdraw-storm | 1 | **SAFE, as expected** | 10,000 | 1,959 | 389 | 951 | 5,000 × 200, 5,000 × 409 | none |',
    );
    expect(k6).toContain(
      '| mutex (`replicas-mutex.json`) | replicas | — | **UNSAFE, 1 threshold failed** | 40 | 118 | 55.3 | — |',
    );
    expect(k6).toContain('invariant_violations ×4');
    expect(k6).toContain('✗ invariant_violations count==0');
  });

  it('records the environment', () => {
    expect(markdown).toContain(`Node ${report.environment.node}`);
    expect(markdown).toContain('Postgres: PostgreSQL');
    expect(markdown).toContain(`seed ${report.environment.seed}`);
  });

  it('says whether the runs went over HTTP, and through what (older reports: in process)', () => {
    expect(report.settings.http).toBeNull();
    expect(markdown).toMatch(/race window \d+ ms, in process/);
    for (const [http, text] of [
      [{ servers: 'started', replicas: 3 }, 'over HTTP through 3 replicas started for it'],
      [{ servers: 'target', replicas: 1 }, 'over HTTP through 1 replica given by --target'],
    ] as const) {
      const served = renderMarkdownReport({ ...report, settings: { ...report.settings, http } }, {});
      expect(served).toContain(text);
      expect(served).not.toContain('in process');
    }
  });
});
