import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findConsecutiveFreePorts } from '@concurrency-lab/server';
import { afterAll, describe, expect, it } from 'vitest';
import { type LabProcess, startLab } from './lab-process.ts';
import { runCli, runCliWithEnv } from './run-cli.ts';

// `lab run --http`: the harness's runner, history and checkers driving real replica processes over
// loopback, with the services the test run provides (test/global-setup.ts).

interface HttpRunJson {
  lab: string;
  scenario: string;
  expectation: 'safe' | 'unsafe';
  matchesExpectation: boolean;
  verdict: { valid: boolean | 'unknown'; violations: Array<{ kind: string }> };
  counts: { ok: number; fail: Record<string, number>; info: number; total: number };
  finalState: { accounts: Array<{ id: number; balance: number }>; items: Array<{ available: number }> };
  http: {
    servers: 'started' | 'target';
    replicas: number;
    byReplica: Array<{ replica: number; url: string; ok: number; fail: number; info: number }>;
  };
  criteria: { tier: string; checks: Array<{ measure: string; passed: boolean }>; passed: boolean };
}

const parseRun = (stdout: string): HttpRunJson => JSON.parse(stdout) as HttpRunJson;
const folder = mkdtempSync(join(tmpdir(), 'lab-http-run-'));
let serve: LabProcess | undefined;

afterAll(() => {
  if (serve?.child.exitCode === null) process.kill(-serve.group, 'SIGKILL');
  rmSync(folder, { recursive: true, force: true });
});

describe('lab run --http', () => {
  it('withdraw-storm at full size over 2 replicas: exactly 5000 ok, 5000 insufficient_funds, balance 0, no balance twice', () => {
    const history = join(folder, 'storm.jsonl');
    const { status, stdout, stderr } = runCli(
      'run',
      'update-returning',
      '--scenario',
      'withdraw-storm',
      '--http',
      '--replicas',
      '2',
      '--json',
      '--history',
      history,
    );
    expect(status, stderr).toBe(0);
    const run = parseRun(stdout);
    expect(run.counts).toEqual({ ok: 5000, fail: { insufficient_funds: 5000 }, info: 0, total: 10_000 });
    expect(run.finalState.accounts).toEqual([expect.objectContaining({ id: 1, balance: 0 })]);
    expect(run.verdict).toMatchObject({ valid: true, violations: [] });
    expect(run.matchesExpectation).toBe(true);
    // Client i talked to replica i mod 2: both served, and between them every operation.
    expect(run.http.servers).toBe('started');
    expect(run.http.byReplica.map((r) => r.replica)).toEqual([1, 2]);
    expect(run.http.byReplica.every((r) => r.ok > 0)).toBe(true);
    const sum = run.http.byReplica.reduce((n, r) => n + r.ok + r.fail + r.info, 0);
    expect(sum).toBe(10_000);
    expect(run.http.byReplica.reduce((n, r) => n + r.ok, 0)).toBe(5000);
    expect(run.criteria.tier).toBe('stress');
    expect(run.criteria.checks.map((c) => c.measure)).toEqual(['throughput', 'mean', 'p99']);
    // The history file: 5000 distinct balances from ok withdrawals, each by the id its server gave it.
    const ops = readFileSync(history, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => JSON.parse(line) as { id: string; outcome?: { type: string; value?: number } });
    const balances = ops.flatMap((op) => (op.outcome?.type === 'ok' ? [op.outcome.value] : []));
    expect(new Set(balances).size).toBe(5000);
    const okIds = ops.flatMap((op) => (op.outcome?.type === 'ok' ? [op.id] : []));
    expect(okIds.every((id) => !id.startsWith('http_'))).toBe(true);
  }, 170_000);

  it.each([
    ['mutex', 'unsafe', false],
    ['select-for-update', 'safe', true],
    ['redis-lock', 'safe', true],
    ['redlock', 'safe', true],
  ] as const)(
    'replicas over 3 replicas: %s is %s, as expected (exit 0)',
    (lab, expectation, valid) => {
      // The server's race window holds each read-modify-write open, so the replicas overlap every run.
      const { status, stdout, stderr } = runCli(
        'run',
        lab,
        '--scenario',
        'replicas',
        '--http',
        '--replicas',
        '3',
        '--race-window-ms',
        '25',
        '--json',
      );
      expect(status, stderr).toBe(0);
      const run = parseRun(stdout);
      expect(run.expectation).toBe(expectation);
      expect(run.verdict.valid).toBe(valid);
      expect(run.http.byReplica.map((r) => r.ok + r.fail + r.info)).toEqual([14, 13, 13]);
      if (valid) expect(run.counts).toMatchObject({ ok: 10, fail: { out_of_stock: 30 } });
      else expect(run.verdict.violations.map((v) => v.kind)).toContain('oversold');
    },
    120_000,
  );

  it('prints the replicas and the criteria line in its report', () => {
    const { status, stdout, stderr } = runCli(
      'run',
      'update-returning',
      '--scenario',
      'flash-sale',
      '--http',
    );
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/replica 1: 100 ok, 200 fail, 0 info/);
    expect(stdout).toMatch(
      /Criteria +\(stress\): [\d,.]+ ops\/s ≥ 100 [✓✗], mean [\d,.]+ ms < 200 [✓✗], p99 [\d,.]+ ms < 1,000 [✓✗]/,
    );
  }, 120_000);
});

describe('lab compare --http', () => {
  it('runs the matrix over 3 replicas and reports each cell by replica, with its criteria', () => {
    const out = join(folder, 'compare');
    const { status, stderr } = runCli(
      'compare',
      '--http',
      '--replicas',
      '3',
      '--race-window-ms',
      '25',
      '--labs',
      'mutex,update-returning',
      '--scenarios',
      'replicas',
      '--out',
      out,
    );
    expect(status, stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      settings: { http: unknown };
      runs: Array<{ result: HttpRunJson }>;
    };
    expect(report.settings.http).toEqual({ servers: 'started', replicas: 3 });
    expect(report.runs.map((r) => [r.result.lab, r.result.verdict.valid, r.result.http.replicas])).toEqual([
      ['mutex', false, 3],
      ['update-returning', true, 3],
    ]);
    const markdown = readFileSync(join(out, 'report.md'), 'utf8');
    expect(markdown).toContain('## Over HTTP');
    expect(markdown).toContain('over HTTP through 3 replicas started for it');
    expect(markdown).toMatch(
      /- \*\*update-returning × replicas\*\*\n {2}- replica 1: \d+ ok, \d+ fail, 0 info/,
    );
    expect(markdown).toMatch(/criteria \(stress\): [\d,.]+ ops\/s ≥ 100 [✓✗]/);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<section id="over-http">');
  }, 170_000);

  it('refuses --ops with --http (exit 2): the server seeds scenarios at full size only', () => {
    const { status, stderr } = runCli('compare', '--http', '--ops', '100', '--out', join(folder, 'no'));
    expect(status).toBe(2);
    expect(stderr).toMatch(/--ops cannot be combined with --http/);
  });
});

describe('lab run --http --target', () => {
  it.each([
    [['--target', 'http://192.0.2.10:8080'], /not a loopback address.*--allow-remote/],
    [['--target', 'ftp://127.0.0.1:8080'], /--target .* is not accepted: it must be an http/],
    [['--target', 'http://127.0.0.1:8080', '--replicas', '2'], /cannot be combined with --target/],
  ])('refuses %j with exit code 2 before starting anything', (flags, message) => {
    const { status, stderr } = runCli('run', 'update-returning', '--http', ...flags);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/Starting/);
  });

  it('refuses --target without the servers’ admin token (exit 2)', () => {
    const { status, stderr } = runCliWithEnv(
      { LAB_ADMIN_TOKEN: '' },
      'run',
      'update-returning',
      '--http',
      '--target',
      'http://127.0.0.1:8080',
    );
    expect(status).toBe(2);
    expect(stderr).toMatch(
      /--target needs the servers’ admin token.*--admin-token <token> or set LAB_ADMIN_TOKEN/,
    );
  });

  it('refuses --replicas without --http (exit 2)', () => {
    const { status, stderr } = runCli('run', 'update-returning', '--replicas', '3');
    expect(status).toBe(2);
    expect(stderr).toMatch(/--replicas applies to runs over HTTP only: add --http/);
  });

  it('drives a server started by lab serve, and gives the full verdict', async () => {
    const token = 'http-run-target-token';
    const port = await findConsecutiveFreePorts(1, '127.0.0.1');
    serve = startLab(
      ['serve', '--port', String(port), '--labs', 'update-returning', '--admin-token', token],
      {},
    );
    await serve.waitFor(/Ctrl-C stops/, 90_000);
    const run = startLab(
      [
        'run',
        'update-returning',
        '--scenario',
        'flash-sale',
        '--http',
        '--target',
        `http://127.0.0.1:${port}`,
        '--admin-token',
        token,
        '--json',
      ],
      {},
    );
    expect(await run.exited(), run.stderr()).toBe(0);
    const result = parseRun(run.stdout());
    expect(result.http).toMatchObject({ servers: 'target', replicas: 1 });
    expect(result.counts).toMatchObject({ ok: 100, fail: { out_of_stock: 200 }, info: 0 });
    expect(result.verdict).toMatchObject({ valid: true, violations: [] });
    expect(run.stderr()).not.toMatch(/Starting the services/);
    process.kill(-serve.group, 'SIGTERM');
    expect(await serve.exited()).toBe(0);
  }, 120_000);
});
