import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** The widest line of a command's output, in characters. */
const widest = (text: string): number => Math.max(...text.split('\n').map((line) => [...line].length));

describe('pnpm lab run', () => {
  it('prints one JSON object for update-returning on withdraw-storm: 5000 ok, 5000 insufficient_funds, safe', () => {
    const historyFile = join(mkdtempSync(join(tmpdir(), 'lab-cli-')), 'history.jsonl');
    const { status, stdout, stderr } = runCli(
      'run',
      'update-returning',
      '--scenario',
      'withdraw-storm',
      '--json',
      '--history',
      historyFile,
    );
    expect(status, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      lab: 'update-returning',
      scenario: 'withdraw-storm',
      verdict: { valid: true, violations: [] },
      counts: { ok: 5000, fail: { insufficient_funds: 5000 }, info: 0, total: 10000 },
      expected: { ok: 5000, fail: { insufficient_funds: 5000 } },
      finalState: { accounts: [{ id: 1, balance: 0 }] },
      expectation: 'safe',
      matchesExpectation: true,
    });
    expect(result.throughputOpsPerSec).toBeGreaterThan(0);
    expect(result.durationMs).toBeGreaterThan(0);
    for (const p of ['p50', 'p95', 'p99', 'max'] as const) expect(result.latencyMs[p]).toBeGreaterThan(0);
    expect(result.latencyMs.p50).toBeLessThanOrEqual(result.latencyMs.p99);
    expect(result.history).toBeUndefined();

    const lines = readFileSync(historyFile, 'utf8').trim().split('\n');
    // A header record saying which run it is, then one line per operation.
    expect(lines).toHaveLength(1 + 10_000);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      type: 'header',
      lab: 'update-returning',
      scenario: 'withdraw-storm',
      seed: 1,
      concurrency: 100,
      ops: 10_000,
      projectVersion: expect.stringMatching(/^\d+\.\d+\.\d+$/),
      startedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const first = JSON.parse(lines[1] as string);
    expect(first).toMatchObject({ index: 0, request: { kind: 'withdraw', accountId: 1, amount: 2 } });
    expect(['ok', 'fail']).toContain(first.outcome.type);
    // Times to the µs at most: no float noise.
    for (const line of lines.slice(1, 200)) {
      const op = JSON.parse(line) as { invokedAt: number; completedAt: number };
      for (const t of [op.invokedAt, op.completedAt]) expect(Math.round(t * 1000) / 1000).toBe(t);
    }
  });

  it('reports the naive lab as unsafe, which is what it promises, and exits 0', () => {
    const { status, stdout } = runCli('run', 'naive', '--scenario', 'flash-sale', '--race-window-ms', '2');
    expect(status).toBe(0);
    expect(stdout).toContain('UNSAFE');
    expect(stdout).toContain('oversold');
    expect(stdout).toContain('as expected (this lab is unsafe here)');
    // Counts in their unit, the amount apart; every line fits a terminal of 100 columns.
    expect(stdout).toMatch(/oversold {2}1 item · 200 units/);
    expect(stdout).toMatch(/lost-update {2}[\d,]+ operations/);
    expect(widest(stdout)).toBeLessThanOrEqual(100);
  });

  it('says the race window does not apply to a lab with no gap between its read and its write', () => {
    const { status, stdout } = runCli(
      'run',
      'redis-lua',
      '--scenario',
      'flash-sale-basic',
      '--race-window-ms',
      '5',
      '--json',
    );
    expect(status).toBe(0);
    expect(JSON.parse(stdout).notApplicable).toEqual({
      'race-window-ms': expect.stringContaining('no gap between its read and its write'),
    });
  });

  it('names the valid labs and exits 2 for an unknown lab', () => {
    const { status, stderr, stdout } = runCli('run', 'no-such-lab');
    expect(status).toBe(2);
    expect(stderr).toContain('unknown lab "no-such-lab"');
    expect(stderr).toContain('naive, mutex');
    expect(stderr).toContain('update-returning');
    expect(stdout).toBe('');
  });

  it('names the valid scenarios and exits 2 for an unknown scenario', () => {
    const { status, stderr } = runCli('run', 'naive', '--scenario', 'nope');
    expect(status).toBe(2);
    expect(stderr).toContain('valid scenarios: withdraw-storm, flash-sale');
  });

  it('refuses a lock order a lab does not take, naming what is accepted, and exits 2 before running', () => {
    const wrong = runCli('run', 'select-for-update', '--scenario', 'transfer', '--lock-order', 'sideways');
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('--lock-order must be one of id, request; got sideways');
    expect(wrong.stdout).toBe('');
    const none = runCli('run', 'naive', '--scenario', 'transfer', '--lock-order', 'request');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('lab naive has no option --lock-order; it takes no options');
    const other = runCli('run', 'pg-transaction', '--scenario', 'transfer', '--lock-order', 'id');
    expect(other.status).toBe(2);
    expect(other.stderr).toMatch(/lab pg-transaction has no option --lock-order; its options: --isolation/);
  });

  it('runs a basket with its lock order among the options and its deadlocks counted (none in id order)', () => {
    const { status, stdout, stderr } = runCli('run', 'select-for-update', '--scenario', 'basket', '--json');
    expect(status, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      scenario: 'basket',
      options: { 'lock-order': 'id' },
      verdict: { valid: true, violations: [] },
      contention: { deadlocks: 0 },
      finalState: {
        items: expect.arrayContaining([{ sku: 'sku-empty', available: 0, reserved: 5, version: 0 }]),
      },
    });
    const text = runCli('run', 'naive', '--scenario', 'transfer', '--race-window-ms', '2');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Contention \d+ conflicts · 0 deadlocks · /);
    expect(text.stdout).toContain('as expected (this lab is unsafe here)');
  });

  it.each([
    ['--concurrency', '0'],
    ['--concurrency', '-3'],
    ['--concurrency', '2.5'],
    ['--concurrency', 'many'],
    ['--seed', '0'],
    ['--race-window-ms', '-1'],
  ])('rejects %s %s with what is accepted, and exits 2', (flag, value) => {
    const { status, stderr } = runCli('run', 'naive', flag, value);
    expect(status).toBe(2);
    expect(stderr).toMatch(new RegExp(`${flag} must be an integer from \\d+ to \\d+`));
  });
});

describe('pnpm lab list', () => {
  it('fits 100 columns, with what each lab needs, what it promises and how its options change that', () => {
    const { status, stdout } = runCli('list');
    expect(status).toBe(0);
    expect(widest(stdout)).toBeLessThanOrEqual(100);
    expect(stdout).toContain('pg-transaction — Transaction at an isolation level');
    // Snapshot isolation is safe everywhere but on write skew; serializable everywhere.
    expect(stdout).toMatch(/with --isolation repeatable-read: unsafe on write-skew; safe on withdraw-storm,/);
    expect(stdout).toMatch(/with --isolation serializable: safe on every scenario/);
    expect(stdout).toMatch(/skips {4}write-skew: a CHECK constraint sees one row/);
    // The rules that make the verdict follow options, knobs and faults, as data from each lab.
    const flat = stdout.replace(/\s+/g, ' ');
    expect(flat).toContain('unsafe when --lock-ttl ≤ half of --race-window-ms and without --fencing');
    expect(flat).toContain('unsafe when --fault restart-redis-node and without --fencing');
    expect(flat).toContain('unsafe when --replicas ≥ 2: each replica has a mutex of its own');
  });

  it('names every lab that takes a shared flag in the help, with each one’s default', () => {
    const { stdout } = runCli('run', '--help');
    const help = stdout.replace(/\s+/g, ' ');
    expect(help).toMatch(
      /--backoff-base-ms <value> .*\(pg-transaction, optimistic: default 20; select-for-update, redlock: 5; redis-lock: 2; 0 to 60000\)/,
    );
    expect(help).toMatch(/--lock-order <value> .*\(select-for-update: default id; id \| request\)/);
    expect(help).toMatch(/--lock-ttl <value> .*\(redis-lock, redlock: default 10000; 1 to 600000\)/);
    expect(help).toMatch(
      /--fencing give every grant a fencing token .*\(redis-lock, redlock; off unless given\)/,
    );
  });

  it('lists every lab with what it needs and its expectations, as JSON', () => {
    const { status, stdout } = runCli('list', '--json');
    expect(status).toBe(0);
    const labs = JSON.parse(stdout) as Array<{
      name: string;
      needs: string[];
      expect: Record<string, string>;
    }>;
    const naive = labs.find((lab) => lab.name === 'naive');
    expect(naive?.needs).toEqual(['postgres']);
    expect(naive?.expect['withdraw-storm']).toBe('unsafe');
    expect(labs.find((lab) => lab.name === 'update-returning')?.expect['withdraw-storm']).toBe('safe');
  });
});

describe('the README’s command', () => {
  it('`pnpm lab` runs the same entry as the tests do, through pnpm, as a user types it', () => {
    const result = spawnSync('pnpm', ['-s', 'lab', 'list', '--json'], { cwd: REPO_ROOT, encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as unknown[]).length).toBeGreaterThan(0);
  });
});
