import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO_NAMES } from '@concurrency-lab/model';
import { readReportFile } from '@concurrency-lab/report';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from './run-cli.ts';

// A report.json that the report package's own tests use, shared through its package exports.
const FIXTURE_REPORT = fileURLToPath(import.meta.resolve('@concurrency-lab/report/fixtures/report.json'));

const scratch = () => mkdtempSync(join(tmpdir(), 'lab-compare-'));

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
    compare = runCli(
      'compare',
      '--labs',
      'naive,update-returning',
      '--scenarios',
      'flash-sale',
      '--ops',
      '30',
      '--race-window-ms',
      '5',
      '--out',
      out,
      '--k6',
      k6,
    );
  });

  it('runs the matrix, prints it, and exits 0 because every cell is as its lab declares', () => {
    expect(compare.status, compare.stderr).toBe(0);
    expect(compare.stderr).toMatch(/\[1\/2\] naive × flash-sale: UNSAFE \(.*\), as expected/);
    expect(compare.stderr).toMatch(/\[2\/2\] update-returning × flash-sale: SAFE, as expected/);
    const rows = compare.stdout.split('\n');
    expect(rows.find((row) => row.includes('naive'))).toMatch(/naive\s+flash-sale\s+UNSAFE\s+unsafe ✓/);
    expect(rows.find((row) => row.includes('update-returning'))).toMatch(
      /update-returning\s+flash-sale\s+SAFE\s+safe ✓\s+none\s+10\s+20/,
    );
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
      /\| update-returning \(`flash-sale-update-returning\.json`\) \| flash-sale \| — \| \*\*PASSED\*\* \| 300 \|/,
    );
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(5);
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
    expect(stdout).toMatch(/naive\s+flash-sale-basic\s+SAFE\s+unsafe: NOT AS EXPECTED/);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain(
      '- NOT AS EXPECTED: naive on flash-sale-basic should be unsafe but was SAFE.',
    );
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
