import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  formatSpread,
  parseReportDocument,
  type ReportDocument,
  readReportFile,
  rowOf,
  spreadOf,
  summarizeReport,
  verdictText,
  violationText,
} from '../src/index.ts';
import { FIXTURE_REPORT, FIXTURE_REPORT_V1 } from './report-fixture.ts';

const fixture = async (): Promise<ReportDocument> =>
  parseReportDocument(JSON.parse(await readFile(FIXTURE_REPORT, 'utf8')), FIXTURE_REPORT);

describe('spreadOf', () => {
  it('gives the median and the whole range', () => {
    expect(spreadOf([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5, n: 3 });
    expect(spreadOf([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(spreadOf([])).toEqual({ median: 0, min: 0, max: 0, n: 0 });
  });

  it('prints the range only when repeated runs differ', () => {
    expect(formatSpread(spreadOf([1200, 1000, 1100]))).toBe('1,100 (1,000–1,200)');
    expect(formatSpread(spreadOf([7, 7]))).toBe('7');
    expect(formatSpread(spreadOf([2.345]))).toBe('2.35');
  });
});

describe('summarizeReport', () => {
  it('groups the runs into lab × scenario cells in the order they were asked for', async () => {
    const report = await fixture();
    const matrix = summarizeReport(report);
    expect(matrix.repeat).toBe(2);
    expect(matrix.scenarios).toEqual(['withdraw-storm', 'flash-sale']);
    expect(matrix.rows.map((row) => row.label)).toEqual([
      'naive',
      'mutex',
      // A choice option is always named; tuning options only when they differ from their defaults.
      'pg-transaction (isolation=read-committed)',
      'pg-transaction (isolation=repeatable-read)',
      'pg-transaction (isolation=serializable)',
      'optimistic',
      'update-returning',
      'redis-lua',
      'redlock',
    ]);
    expect(matrix.cells).toHaveLength(18);
    for (const cell of matrix.cells) {
      expect(cell.runs).toHaveLength(2);
      expect(cell.matchesExpectation).toBe(true);
    }
  });

  it('calls a cell unsafe when any of its runs broke an invariant, and says in how many', async () => {
    const report = await fixture();
    const naive = report.runs.find((r) => r.result.lab === 'naive' && r.result.scenario === 'flash-sale');
    if (!naive) throw new Error('fixture has no naive flash-sale run');
    const lucky = {
      ...naive.result,
      verdict: { valid: true as const, violations: [] },
      matchesExpectation: false,
    };
    const runs = report.runs.map((r) => (r === naive ? { ...r, result: lucky } : r));
    const cell = summarizeReport({ ...report, runs }).cells.find(
      (c) => c.row.lab === 'naive' && c.scenario === 'flash-sale',
    );
    expect(cell?.verdict).toBe('unsafe');
    expect(cell?.matchesExpectation).toBe(true);
    expect(cell && verdictText(cell)).toBe('UNSAFE in 1/2 runs');
    // The lucky run counts 0 for every kind: the median is halfway.
    const lost = cell?.violations.find((v) => v.kind === 'lost-update');
    expect(lost?.count.min).toBe(0);
  });

  it('flags a safe lab that broke as not as expected', async () => {
    const report = await fixture();
    const runs = report.runs.map((r) =>
      r.result.lab === 'mutex' && r.result.scenario === 'withdraw-storm' && r.repetition === 2
        ? {
            ...r,
            result: {
              ...r.result,
              verdict: {
                valid: false as const,
                violations: [{ kind: 'lost-update', count: 3, counts: 'operations', example: 'made up' }],
              },
            },
          }
        : r,
    );
    const cell = summarizeReport({ ...report, runs }).cells.find(
      (c) => c.row.lab === 'mutex' && c.scenario === 'withdraw-storm',
    );
    expect(cell?.verdict).toBe('unsafe');
    expect(cell?.matchesExpectation).toBe(false);
  });
});

describe('violation counts and magnitudes', () => {
  it('keeps the events of a kind apart from the amount involved, each with its unit', async () => {
    const matrix = summarizeReport(await fixture());
    const naive = matrix.cells.find((c) => c.row.lab === 'naive' && c.scenario === 'withdraw-storm');
    const created = naive?.violations.find((v) => v.kind === 'money-created');
    // One account ends too rich: one event, and the money it was off by as the magnitude.
    expect(created?.count.median).toBe(1);
    expect(created?.counts).toBe('accounts');
    expect(created?.magnitude?.unit).toBe('money');
    expect(created?.magnitude?.amount.median).toBeGreaterThan(1);
    expect(created && violationText(created)).toMatch(
      /^money-created 1 account · [\d,]+(?: \([\d,–]+\))? money$/,
    );
    const lost = naive?.violations.find((v) => v.kind === 'lost-update');
    expect(lost?.magnitude).toBeUndefined();
    expect(lost && violationText(lost)).toMatch(/^lost-update [\d.]+(?: \([\d–]+\))? operations$/);
  });

  it('names a variant by the option the comparison varied, even at its default', () => {
    const info = { optionDefaults: { 'retry-limit': 200 }, keyOptions: [], variedOptions: ['retry-limit'] };
    expect(rowOf({ lab: 'optimistic', options: { 'retry-limit': 200 } }, info).label).toBe(
      'optimistic (retry-limit=200)',
    );
    expect(
      rowOf({ lab: 'optimistic', options: { 'retry-limit': 200 } }, { ...info, variedOptions: [] }).label,
    ).toBe('optimistic');
  });

  it('shows a format 1 count as recorded, without a unit it never had', async () => {
    const { report } = await readReportFile(FIXTURE_REPORT_V1);
    const naive = summarizeReport(report).cells.find((c) => c.row.lab === 'naive');
    const created = naive?.violations.find((v) => v.kind === 'money-created');
    expect(created?.counts).toBeUndefined();
    expect(created && violationText(created)).toMatch(/^money-created ×[\d,]+/);
  });

  it('carries lock waits per operation, their p99 and their share of latency', async () => {
    const matrix = summarizeReport(await fixture());
    const mutex = matrix.cells.find((c) => c.row.lab === 'mutex' && c.scenario === 'withdraw-storm');
    expect(mutex?.lockWaitPerOpMs.median).toBeGreaterThan(0);
    expect(mutex?.lockWaitP99Ms?.median).toBeGreaterThanOrEqual(mutex?.lockWaitPerOpMs.min ?? 0);
    expect(mutex?.lockWaitShare?.median).toBeGreaterThan(0);
    expect(mutex?.lockWaitShare?.median).toBeLessThanOrEqual(1);
    // The sum over operations is far more than any one operation waited.
    expect(mutex?.lockWaitMs.median).toBeGreaterThan(mutex?.lockWaitPerOpMs.median ?? 0);
  });
});
