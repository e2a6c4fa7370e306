import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BUILTIN_SPECS_DIR,
  ISOLATION_LEVELS,
  loadSpecDirectory,
  parseSpec,
  runAnomalyCell,
} from '@concurrency-lab/anomalies';
import { describe, expect, it } from 'vitest';
import { renderAnomalyReport } from '../src/render/anomaly-report.ts';
import { TERMINAL_WIDTH } from '../src/render/wrap-text.ts';
import { runCli, runCliWithEnv } from './run-cli.ts';

const specs = loadSpecDirectory();
const TIMEOUT_MS = 120_000;

/** The table's rows, by anomaly id: the cells of its `levels` level columns. */
const tableRows = (stdout: string, levels: number = ISOLATION_LEVELS.length): Map<string, string[]> => {
  const rows = new Map<string, string[]>();
  for (const line of stdout.split('\n')) {
    const [id, ...rest] = line.trim().split(/\s{2,}/);
    if (id && specs.some((spec) => spec.id === id) && rest.length === 1 + levels) {
      rows.set(id, rest.slice(1));
    }
  }
  return rows;
};

describe('pnpm lab anomalies', () => {
  it(
    'prints the table anomaly × level within 100 columns, every cell as Hermitage published it, then why',
    () => {
      const { status, stdout, stderr } = runCli('anomalies');
      expect(status, stderr).toBe(0);
      const lines = stdout.trimEnd().split('\n');
      expect(lines.filter((line) => [...line].length > TERMINAL_WIDTH)).toEqual([]);
      expect(
        lines.some((line) =>
          /anomaly\s+what goes wrong\s+read committed\s+repeatable read\s+serializable/.test(line),
        ),
      ).toBe(true);
      const rows = tableRows(stdout);
      expect([...rows.keys()]).toEqual(specs.map((spec) => spec.id));
      for (const spec of specs) {
        ISOLATION_LEVELS.forEach((level, column) => {
          const published = spec.published?.verdicts[level];
          if (published)
            expect(rows.get(spec.id)?.[column], `${spec.id} at ${level}`).toBe(
              published === 'possible' ? 'POSSIBLE' : 'prevented',
            );
        });
      }
      expect(stdout).toContain('Every cell agrees with what Hermitage, PostgreSQL 9.3.5 published.');
      // The why of a cell, with the mechanism: the step that blocked, and the SQLSTATE that ended it.
      expect(stdout).toMatch(
        /repeatable read\s+prevented: t2-write-1 waited for T1 until t1-commit, then failed\s+with 40001/,
      );
      // Each test as written: its description, its steps, what shows it.
      for (const spec of specs) expect(stdout).toContain(`${spec.id} · ${spec.name}`);
      expect(stdout).toContain('      t2-write-1  update account set balance = 12 where id = 1');
      expect(stdout).toContain(
        'anomaly if: t1-read-1 returns (id=1, balance=10); and t1-read-2 returns (id=2, balance=18)',
      );
    },
    TIMEOUT_MS,
  );

  it(
    'prints the chosen cells and every trace as JSON with --json --only --isolation',
    () => {
      const { status, stdout, stderr } = runCli(
        'anomalies',
        '--json',
        '--only',
        'P4,g0',
        '--isolation',
        'repeatable-read,read-committed',
      );
      expect(status, stderr).toBe(0);
      const result = JSON.parse(stdout);
      // The suite's order, whatever the order of the flags.
      expect(result.levels).toEqual(['read-committed', 'repeatable-read']);
      expect(result.table).toEqual({
        G0: { 'read-committed': 'prevented', 'repeatable-read': 'prevented' },
        P4: { 'read-committed': 'possible', 'repeatable-read': 'prevented' },
      });
      expect(result.server.version).toMatch(/^PostgreSQL \d+/);
      const p4 = result.anomalies.find((anomaly: { id: string }) => anomaly.id === 'P4');
      const [readCommitted] = p4.cells;
      expect(readCommitted).toMatchObject({
        level: 'read-committed',
        verdict: 'possible',
        published: 'possible',
      });
      const [run] = readCommitted.permutations;
      expect(run.conditions.map((condition: { met: boolean }) => condition.met)).toEqual([true, true]);
      expect(run.trace.events).toContainEqual({
        type: 'blocked',
        step: 't2-write-1',
        session: 'T2',
        by: ['T1'],
      });
      expect(run.trace.events.at(-1)).toMatchObject({ type: 'completed', step: 't2-commit' });
      expect(run.trace.queries).toEqual([
        {
          query: 'select id, balance from account where id = 1',
          outcome: { type: 'ok', commands: ['SELECT'], rows: [{ id: 1, balance: 12 }] },
        },
      ]);
    },
    TIMEOUT_MS,
  );

  it(
    'walks through a test with --step --delay-ms, printing each step as it runs, then the table',
    () => {
      const { status, stdout, stderr } = runCli(
        'anomalies',
        '--step',
        '--delay-ms',
        '0',
        '--only',
        'P4',
        '--isolation',
        'repeatable-read',
      );
      expect(status, stderr).toBe(0);
      expect(stdout).toContain('P4 · lost update · repeatable read');
      const walk = stdout.slice(0, stdout.indexOf('Isolation anomalies'));
      const order = [
        't1-read-1',
        't2-read-1',
        't1-write-1',
        't2-write-1',
        '… blocked: waits for T1',
        't1-commit',
        '40001',
      ];
      const positions = order.map((text) => walk.indexOf(text));
      expect(
        positions.every((position) => position >= 0),
        walk,
      ).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      expect(walk).toMatch(
        /t2-write-1\s+✗ 40001 could not serialize access due to concurrent update \(released by\s+t1-commit\)/,
      );
      expect(tableRows(stdout, 1).get('P4')).toEqual(['prevented']);
    },
    TIMEOUT_MS,
  );

  it(
    'runs on an embedded Postgres of its own when LAB_DATABASE_URL is not set',
    () => {
      const { status, stdout, stderr } = runCliWithEnv(
        { LAB_DATABASE_URL: '' },
        'anomalies',
        '--only',
        'G-single',
        '--isolation',
        'read-committed',
      );
      expect(status, stderr).toBe(0);
      expect(stdout).toMatch(/Isolation anomalies · PostgreSQL \d+\S* · embedded, started for this command/);
      expect(tableRows(stdout, 1).get('G-single')).toEqual(['POSSIBLE']);
    },
    TIMEOUT_MS,
  );

  it.each([
    [
      ['--isolation', 'read-uncommitted'],
      'unknown isolation level "read-uncommitted"; valid isolation levels: read-committed, repeatable-read, serializable',
    ],
    [['--isolation', ','], '--isolation needs at least one name (comma-separated)'],
    [
      ['--only', 'G0,G9'],
      'unknown anomaly "G9" in --only; valid anomaly ids: G0, G1a, G1b, G1c, OTV, PMP, P4, G-single, G2-item, G2',
    ],
    [['--delay-ms', '10'], '--delay-ms applies only with --step'],
    [['--step', '--delay-ms', '-1'], '--delay-ms must be an integer from 0 to 60000'],
    [['--step', '--json'], '--step and --json cannot be combined'],
  ])('exits 2 for %j, saying what is accepted, and runs nothing', (args, message) => {
    const { status, stdout, stderr } = runCli('anomalies', ...args);
    expect(status).toBe(2);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
  });
});

describe('the anomalies report', () => {
  it(
    'says so where the server behaves differently from the published result',
    async () => {
      // The real G1a spec, claiming a published result that Postgres does not give at read committed.
      const file = join(BUILTIN_SPECS_DIR, '02-g1a-aborted-read.yaml');
      const text = readFileSync(file, 'utf8').replace(
        'read-committed: prevented',
        'read-committed: possible',
      );
      const spec = parseSpec(text, file);
      const cell = await runAnomalyCell({
        url: process.env.LAB_DATABASE_URL as string,
        spec,
        level: 'read-committed',
      });
      const report = renderAnomalyReport(
        {
          serverVersion: 'PostgreSQL 99.0 on a test machine',
          levels: ['read-committed'],
          anomalies: [{ spec, cells: [cell] }],
        },
        'a test server',
      );
      expect(cell.verdict).toBe('prevented');
      expect(report).toMatch(/G1a\s+aborted read\s+prevented \*/);
      expect(report).toContain(
        '* G1a at read committed: this server (PostgreSQL 99.0) behaves differently from Hermitage,',
      );
      expect(report).not.toContain('Every cell agrees');
    },
    TIMEOUT_MS,
  );
});
