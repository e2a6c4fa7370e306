import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO_NAMES } from '@concurrency-lab/model';
import { readReportFile } from '@concurrency-lab/report';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli, runCliWithEnv } from './run-cli.ts';

// A report.json that the report package's own tests use, shared through its package exports.
const FIXTURE_REPORT = fileURLToPath(import.meta.resolve('@concurrency-lab/report/fixtures/report.json'));

const scratch = () => mkdtempSync(join(tmpdir(), 'lab-compare-'));

/** `lab compare` on flash-sale scaled to 30 buyers for 10 items, the race window making races certain. */
const flashSaleCompare = (out: string, ...args: string[]) => [
  'compare',
  '--scenarios',
  'flash-sale',
  '--ops',
  '30',
  '--race-window-ms',
  '5',
  '--out',
  out,
  ...args,
];

describe('pnpm lab compare, end to end against real Postgres', () => {
  const out = join(scratch(), 'report');
  let compare: CliResult;

  beforeAll(() => {
    const k6 = scratch();
    writeFileSync(
      join(k6, 'flash-sale-update-returning.json'),
      JSON.stringify({
        metrics: { http_reqs: { count: 300, rate: 150 }, invariant_violations: { count: 0 } },
      }),
    );
    // Two labs, one scenario scaled to 30 buyers for 10 items; the race window makes naive's race certain.
    // Progress lines every 50 ms: stderr is a pipe here, not a terminal.
    process.env.LAB_PROGRESS_INTERVAL_MS = '50';
    compare = runCli(...flashSaleCompare(out, '--labs', 'naive,update-returning', '--k6', k6));
  });

  it('runs the matrix, prints it, and exits 0 because every cell is as its lab declares', () => {
    expect(compare.status, compare.stderr).toBe(0);
    expect(compare.stderr).toMatch(/\[1\/2\] naive × flash-sale: UNSAFE \(.*\), as expected/);
    expect(compare.stderr).toMatch(/\[2\/2\] update-returning × flash-sale: SAFE, as expected/);
    expect(compare.stderr).toMatch(
      /progress: \d+\/60 ops \(\d+%\) · [\d.]+ m?s elapsed · (about [\d.]+ m?s left|estimating|done)/,
    );
    const rows = compare.stdout.split('\n');
    expect(rows).toContain('flash-sale');
    expect(rows.find((row) => row.startsWith('  naive '))).toMatch(/^ {2}naive\s+UNSAFE\s+\d+\s+/);
    expect(rows.find((row) => row.startsWith('  update-returning '))).toMatch(
      /^ {2}update-returning\s+SAFE\s+10\s+20 out_of_stock\s+[\d,.]+\s+[\d,.]+\s+0\s+[\d,.]+$/,
    );
    // What broke, with its unit, under the table; and the recommendation, which never names naive.
    expect(compare.stdout).toMatch(/Violations on flash-sale:\n {2}naive: .*lost-update \d+ operations/);
    const pick = compare.stdout.slice(compare.stdout.indexOf('Which one should I pick?'));
    expect(pick).toMatch(
      /Only Postgres, one app process\n {4}1\. update-returning: waits [\d,.]+ ms per operation for a lock/,
    );
    expect(pick).toContain('not safe here: naive');
    // Every line of the output fits a terminal of 100 columns.
    for (const line of compare.stdout.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
    expect(compare.stdout).toContain(join(out, 'report.html'));
  });

  it('writes report.json with every run as `lab run --json` prints it, and the environment', async () => {
    expect(readdirSync(out).sort()).toEqual(['k6', 'report.html', 'report.json', 'report.md']);
    expect(readdirSync(join(out, 'k6'))).toEqual(['flash-sale-update-returning.json']);
    const { report } = await readReportFile(out);
    expect(report.settings).toEqual({
      labs: ['naive', 'update-returning'],
      scenarios: ['flash-sale'],
      concurrency: null,
      repeat: 1,
      raceWindowMs: 5,
      ops: 30,
      http: null,
    });
    expect(report.runs.map((run) => [run.result.lab, run.result.verdict.valid])).toEqual([
      ['naive', false],
      ['update-returning', true],
    ]);
    const raw = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(raw.runs[1].result).toMatchObject({
      scenario: 'flash-sale',
      counts: { ok: 10, fail: { out_of_stock: 20 }, info: 0, total: 30 },
      expected: { ok: 10, fail: { out_of_stock: 20 } },
      finalState: { items: [{ sku: 'sku-flash', available: 0, reserved: 10 }] },
      matchesExpectation: true,
    });
    expect(raw.runs[1].result.history).toBeUndefined();
    // Every operation of the run, as columns: 30 is below the sampling limit.
    expect(raw.runs[1].timeline).toMatchObject({ ops: 30, sampled: 30 });
    expect(raw.runs[1].timeline.latencyMs).toHaveLength(30);
    expect(raw.runs[1].result.verdict.violations).toEqual([]);
    expect(raw.runs[0].result.verdict.violations[0]).toHaveProperty('counts');
    // update-returning's one statement waits for the row lock, and that wait is measured.
    expect(raw.runs[1].result.contention.lockWait.meanMs).toBeGreaterThan(0);
    expect(raw.runs[1].result.contention.lockWait.shareOfLatency).toBeGreaterThan(0);
    expect(report.labs.map((lab) => [lab.name, lab.processLocal, lab.variedOptions])).toEqual([
      ['naive', false, []],
      ['update-returning', false, []],
    ]);
    expect(report.environment.node).toBe(process.version);
    expect(report.environment.postgres).toMatch(/^PostgreSQL \d+/);
    expect(report.environment.redis).toBeNull();
    expect(report.environment.cpus).toBeGreaterThan(0);
    expect(report.environment.seed).toBe(1);
    expect(Date.parse(report.environment.date)).toBeGreaterThan(Date.now() - 10 * 60_000);
  });

  it('writes report.md and report.html with both labs and their verdicts', () => {
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toMatch(/\| \[naive\]\([^)]*labs\/naive\/README\.md\) \| ❌ \*\*UNSAFE\*\*/);
    expect(markdown).toMatch(
      /\| \[update-returning\]\([^)]*labs\/update-returning\/README\.md\) \| ✅ \*\*SAFE\*\*/,
    );
    expect(markdown).toMatch(
      /\| update-returning \(`flash-sale-update-returning\.json`\) \| flash-sale \| — \| \*\*SAFE\*\* \| 300 \|/,
    );
    expect(markdown).toContain('## Which one should I pick?');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    // Five comparisons and the latency over time of the one scenario.
    expect(html.match(/<svg /g)).toHaveLength(6);
  });

  it('rebuilds the pages from report.json with `lab report`, with the k6 summaries in <dir>/k6 and --k6', () => {
    const k6Dir = mkdtempSync(join(tmpdir(), 'k6-'));
    writeFileSync(
      join(k6Dir, 'flash-sale-naive.json'),
      JSON.stringify({ metrics: { http_reqs: { count: 30, rate: 12 }, invariant_violations: { count: 3 } } }),
    );
    const before = statSync(join(out, 'report.md')).mtimeMs;
    const { status, stdout, stderr } = runCli('report', out, '--k6', k6Dir);
    expect(status, stderr).toBe(0);
    expect(stdout).toContain(`Rebuilt from ${join(out, 'report.json')} (with 2 k6 summaries)`);
    expect(statSync(join(out, 'report.md')).mtimeMs).toBeGreaterThan(before);
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toContain('| naive (`flash-sale-naive.json`) | flash-sale | — | **UNSAFE** | 30 |');
    // --k6 of `lab report` reads the folder where it is; only `lab compare --k6` copies.
    expect(readdirSync(join(out, 'k6'))).toEqual(['flash-sale-update-returning.json']);
  });

  it('refuses to write into the same folder again, and leaves what is there untouched', () => {
    const before = readFileSync(join(out, 'report.json'), 'utf8');
    const { status, stderr } = runCli(
      'compare',
      '--labs',
      'naive',
      '--scenarios',
      'flash-sale',
      '--ops',
      '10',
      '--out',
      out,
    );
    expect(status).toBe(2);
    expect(stderr).toContain(`error: output folder ${out} already exists and is not empty`);
    expect(stderr).toContain('add --force');
    expect(readFileSync(join(out, 'report.json'), 'utf8')).toBe(before);
  });
});

describe('pnpm lab compare when a lab does not do what it declares', () => {
  it('exits 1 and says which cell: one buyer cannot race, so naive comes out safe', () => {
    const out = join(scratch(), 'report');
    const { status, stdout, stderr } = runCli(
      'compare',
      '--labs',
      'naive',
      '--scenarios',
      'flash-sale-basic',
      '--ops',
      '1',
      '--out',
      out,
    );
    expect(status).toBe(1);
    expect(stderr).toContain('NOT AS EXPECTED: naive on flash-sale-basic should be unsafe but was SAFE');
    const row = stdout.split('\n').findIndex((line) => line.startsWith('  naive '));
    expect(stdout.split('\n')[row]).toMatch(/^ {2}naive\s+SAFE\s/);
    expect(stdout.split('\n')[row + 1]).toMatch(/^\s+NOT AS EXPECTED$/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      '- NOT AS EXPECTED: naive on flash-sale-basic should be unsafe but was SAFE.',
    );
  });
});

describe('pnpm lab compare with variants as rows', () => {
  const out = join(scratch(), 'report');
  let compare: CliResult;

  beforeAll(() => {
    // Progress lines every 20 ms, so that even a short comparison prints some when not on a terminal.
    compare = runCliWithEnv(
      { LAB_PROGRESS_INTERVAL_MS: '20' },
      ...flashSaleCompare(out, '--labs', 'pg-transaction', '--isolation', 'read-committed,serializable'),
    );
  });

  it('runs one row per isolation level asked for, each named by its level', async () => {
    expect(compare.status, compare.stderr).toBe(0);
    const { report } = await readReportFile(out);
    expect(report.runs.map((run) => [run.result.options.isolation, run.result.verdict.valid])).toEqual([
      ['read-committed', false],
      ['serializable', true],
    ]);
    expect(report.labs[0]?.variedOptions).toEqual(['isolation']);
    const lines = compare.stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('  pg-transaction '));
    expect(lines[at]).toMatch(/^ {2}pg-transaction\s+UNSAFE\s/);
    expect(lines[at + 1]).toMatch(/^ {2}\(isolation=read-committed\)$/);
    expect(lines[at + 2]).toMatch(/^ {2}pg-transaction\s+SAFE\s+10\s+20 out_of_stock\s/);
    expect(lines[at + 3]).toMatch(/^ {2}\(isolation=serializable\)$/);
    expect(compare.stderr).toMatch(
      /\[1\/2\] pg-transaction \(isolation=read-committed\) × flash-sale: UNSAFE .* · about .* left\n/,
    );
  });

  it('shows progress on stderr when it is not a terminal, with an estimate of the time left', () => {
    expect(compare.stderr).toMatch(
      /^progress: \d+\/60 ops \(\d+%\) · [\d.]+ m?s elapsed · (estimating|about .* left|done) · /m,
    );
  });

  it('refuses a value a lab does not take, naming what it accepts, before anything runs', () => {
    const dir = join(scratch(), 'r');
    const { status, stderr } = runCli(
      'compare',
      '--labs',
      'pg-transaction',
      '--isolation',
      'serializable,snapshot',
      '--out',
      dir,
    );
    expect(status).toBe(2);
    expect(stderr).toContain(
      'error: pg-transaction: --isolation must be one of read-committed, repeatable-read, serializable; got snapshot',
    );
    expect(() => readdirSync(dir)).toThrow();
  });
});

describe('pnpm lab compare and lab report with bad input', () => {
  it('rejects an unknown lab with exit code 2 and names the valid ones', () => {
    const { status, stderr } = runCli('compare', '--labs', 'naive,nope', '--out', join(scratch(), 'r'));
    expect(status).toBe(2);
    expect(stderr).toMatch(/error: unknown lab "nope"; valid labs: naive, mutex, .*update-returning/);
  });

  it('rejects an unknown scenario with exit code 2 and names the valid ones', () => {
    const { status, stderr } = runCli('compare', '--scenarios', 'withdraw-storm,black-friday');
    expect(status).toBe(2);
    expect(stderr).toContain(
      `error: unknown scenario "black-friday"; valid scenarios: ${SCENARIO_NAMES.join(', ')}`,
    );
  });

  it('rejects a repeat count that is not a positive integer', () => {
    const { status, stderr } = runCli('compare', '--repeat', '0');
    expect(status).toBe(2);
    expect(stderr).toContain('"0" is not accepted: --repeat must be an integer from 1 to 100');
  });

  it('names the file and the problem when report.json is invalid', () => {
    const dir = scratch();
    // A real report with one wrong field: the message must point at that field.
    const report = JSON.parse(readFileSync(FIXTURE_REPORT, 'utf8'));
    report.runs[1].result.throughputOpsPerSec = 'fast';
    writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
    const { status, stderr } = runCli('report', dir);
    expect(status).toBe(1);
    expect(stderr).toContain(
      `error: ${join(dir, 'report.json')}: not a valid comparison report:\n  runs[1].result.throughputOpsPerSec: Invalid input: expected number, received string\n`,
    );
    expect(readdirSync(dir)).toEqual(['report.json']);
  });

  it('names the file when there is no report.json', () => {
    const dir = scratch();
    const { status, stderr } = runCli('report', dir);
    expect(status).toBe(1);
    expect(stderr).toContain(`error: ${join(dir, 'report.json')}: no such file`);
  });
});
