import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  formatSpread,
  parseReportDocument,
  type ReportDocument,
  spreadOf,
  summarizeReport,
  verdictText,
} from '../src/index.ts';
import { FIXTURE_REPORT } from './report-fixture.ts';

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
      'optimistic',
      'update-returning',
      'redis-lua',
    ]);
    expect(matrix.cells).toHaveLength(12);
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
                violations: [{ kind: 'lost-update', count: 3, example: 'made up' }],
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
