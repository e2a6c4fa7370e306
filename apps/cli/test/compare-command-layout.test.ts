import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { type ReportDocument, readReportFile } from '@concurrency-lab/report';
import { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { planComparison } from '../src/compare/compare-plan.ts';
import { addLabOptionFlags } from '../src/lab-options.ts';
import { renderCompareTable } from '../src/render/compare-table.ts';
import { UsageError } from '../src/usage-error.ts';

// The plan and the printed tables of `lab compare`, from its flags and from fixed report.json files.

const FIXTURE = fileURLToPath(import.meta.resolve('@concurrency-lab/report/fixtures/report.json'));
const FIXTURE_V1 = fileURLToPath(import.meta.resolve('@concurrency-lab/report/fixtures/report-v1.json'));

/** The plan of `lab compare` with these flags (as commander would have parsed them). */
const plan = (request: Record<string, unknown>) => {
  const command = new Command();
  const flags = addLabOptionFlags(command, { switchLists: true });
  const parsed = Object.fromEntries(
    Object.entries(request).map(([name, value]) => [flags.get(name)?.attributeName() ?? name, value]),
  );
  return planComparison(parsed, flags);
};

const rowsOf = (request: Record<string, unknown>) => [
  ...new Set(plan(request).cells.map((cell) => cell.label)),
];

describe('variants of a comparison', () => {
  it('runs pg-transaction at every isolation level when none is named', () => {
    expect(rowsOf({ labs: 'naive,pg-transaction', scenarios: 'flash-sale' })).toEqual([
      'naive',
      'pg-transaction (isolation=read-committed)',
      'pg-transaction (isolation=repeatable-read)',
      'pg-transaction (isolation=serializable)',
    ]);
  });

  it('makes a row of every value of a list, for each lab that takes the option, and names it', () => {
    expect(
      rowsOf({
        labs: 'pg-transaction,optimistic,update-returning',
        scenarios: 'flash-sale',
        isolation: 'serializable',
        'retry-limit': '0,200',
      }),
    ).toEqual([
      'pg-transaction (isolation=serializable, retry-limit=0)',
      'pg-transaction (isolation=serializable, retry-limit=200)',
      'optimistic (retry-limit=0)',
      'optimistic (retry-limit=200)',
      'update-returning',
    ]);
    const cells = plan({ labs: 'optimistic', scenarios: 'flash-sale,mixed', 'retry-limit': '0,200' }).cells;
    expect(cells.map((cell) => [cell.planned.options['retry-limit'], cell.scenario.name])).toEqual([
      [0, 'flash-sale'],
      [0, 'mixed'],
      [200, 'flash-sale'],
      [200, 'mixed'],
    ]);
  });

  it('makes rows of a switch given as a list (--fencing off,on), and one row of it given bare', () => {
    expect(rowsOf({ labs: 'redis-lock,redlock', scenarios: 'flash-sale', fencing: 'off,on' })).toEqual([
      'redis-lock (fencing=off)',
      'redis-lock (fencing=on)',
      'redlock (fencing=off)',
      'redlock (fencing=on)',
    ]);
    const bare = plan({ labs: 'redis-lock', scenarios: 'flash-sale', fencing: true }).cells;
    expect(bare.map((cell) => cell.planned.options.fencing)).toEqual(['on']);
  });

  it('refuses a value that a lab does not take, naming the lab and what it accepts', () => {
    expect(() => plan({ labs: 'pg-transaction', isolation: 'read-committed,snapshot' })).toThrow(
      new UsageError(
        'pg-transaction: --isolation must be one of read-committed, repeatable-read, serializable; got snapshot',
      ),
    );
    expect(() => plan({ labs: 'optimistic', 'retry-limit': '0,lots' })).toThrow(
      /^optimistic: --retry-limit must be an integer from 0 to \d+; got lots$/,
    );
    expect(() => plan({ labs: 'naive', isolation: 'serializable' })).toThrow(
      new UsageError('--isolation applies to none of the labs compared (naive)'),
    );
    expect(() => plan({ labs: 'pg-transaction', isolation: ' , ' })).toThrow(
      new UsageError('--isolation needs at least one value (comma-separated)'),
    );
  });
});

describe('the tables `lab compare` prints', () => {
  let fixture: ReportDocument;

  beforeAll(async () => {
    fixture = (await readReportFile(FIXTURE)).report;
  });

  /** Every printed line, colour codes removed. */
  const lines = (report: ReportDocument) => stripVTControlCharacters(renderCompareTable(report)).split('\n');

  /** A harder report than the fixture: long variant labels, runs that differ, a surprise and an error. */
  const widened = (): ReportDocument => ({
    ...fixture,
    labs: fixture.labs.map((lab) =>
      lab.name === 'pg-transaction'
        ? { ...lab, variedOptions: ['isolation', 'retry-limit', 'backoff-cap-ms'] }
        : lab,
    ),
    runs: fixture.runs.map((run, i) =>
      run.result.lab === 'mutex' && run.repetition === 2
        ? {
            ...run,
            result: {
              ...run.result,
              matchesExpectation: false,
              counts: { ...run.result.counts, fail: { conflict_retries_exhausted: 12_345, out_of_stock: 3 } },
              verdict: {
                valid: false,
                violations: [
                  { kind: 'ledger-for-failed-op', count: 1_234, counts: 'operations', example: 'made up' },
                  {
                    kind: 'stock-total-changed',
                    count: 1,
                    counts: 'items',
                    magnitude: { amount: 98_765, unit: 'units' },
                    example: 'made up',
                  },
                ],
              },
            },
          }
        : {
            ...run,
            result: { ...run.result, throughputOpsPerSec: run.result.throughputOpsPerSec * (1 + i) },
          },
    ),
    errors: [
      {
        lab: 'redlock',
        options: fixture.runs.find((run) => run.result.lab === 'redlock')?.result.options ?? {},
        scenario: 'withdraw-storm',
        repetition: 3,
        message:
          'a Redlock node at redis://127.0.0.1:1 did not answer within 2000 ms (LAB_REDIS_CONNECT_TIMEOUT_MS)',
      },
    ],
  });

  it('fit 100 columns, for the fixture, a format 1 report and a harder one', async () => {
    const old = (await readReportFile(FIXTURE_V1)).report;
    for (const report of [fixture, old, widened()]) {
      const printed = lines(report);
      expect(printed.length).toBeGreaterThan(20);
      for (const line of printed) expect([...line].length, line).toBeLessThanOrEqual(100);
    }
  });

  it('keep every value: a table per scenario, each row with its verdict, what broke and what it cost', () => {
    const printed = lines(widened());
    // A paragraph under a table continues on indented lines: read it as one.
    const text = printed.join('\n').replace(/\n {6}(?=\S)/g, ' ');
    for (const scenario of ['withdraw-storm', 'flash-sale']) expect(printed).toContain(scenario);
    expect(text).toMatch(/^ {2}mutex\s+UNSAFE in 1\/2\s+/m);
    expect(text).toMatch(/^\s+NOT AS EXPECTED/m);
    expect(text).toContain('ledger-for-failed-op 617 (0–1,234) operations');
    expect(text).toMatch(/stock-total-changed 0\.5 \(0–1\) items · [\d,.]+ \(0–98,765\) units/);
    expect(text).toMatch(/conflict_[\s\S]*retries_[\s\S]*exhausted/);
    expect(text).toMatch(/^ {2}redlock\s+ERROR$/m);
    expect(text).toContain('(backoff-cap-ms=1000,');
    expect(text).toMatch(/redlock.*: ERROR a Redlock node at redis:\/\/127\.0\.0\.1:1 did not answer/s);
  });
});
