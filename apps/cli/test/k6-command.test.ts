import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findK6, K6NotFoundError } from '../src/k6-binary.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

/** `pnpm lab k6 …` from the repository root, with extra environment. */
const labK6 = (args: string[], env: Record<string, string> = {}) => {
  const result = spawnSync('pnpm', ['-s', 'lab', 'k6', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 170_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};

describe('finding k6', () => {
  const withEnv = <T>(env: Record<string, string>, work: () => T): T => {
    const saved = { PATH: process.env.PATH, HOME: process.env.HOME, LAB_K6: process.env.LAB_K6 };
    Object.assign(process.env, env);
    delete process.env.LAB_K6;
    try {
      return work();
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  };

  it('says how to get k6 when it is nowhere to be found', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-k6-'));
    const error = withEnv({ PATH: empty, HOME: empty }, () => {
      try {
        findK6();
      } catch (caught) {
        return caught;
      }
      return undefined;
    });
    expect(error).toBeInstanceOf(K6NotFoundError);
    const message = (error as Error).message;
    expect(message).toContain('not on PATH');
    expect(message).toContain('brew install k6');
    expect(message).toContain('winget install k6');
    expect(message).toContain('go install go.k6.io/k6/v2@v2.2.0');
    expect(message).toContain('LAB_K6');
  });

  it('takes the k6 it finds on PATH', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fake-k6-'));
    writeFileSync(join(folder, 'k6'), '#!/bin/sh\necho k6\n');
    chmodSync(join(folder, 'k6'), 0o755);
    expect(withEnv({ PATH: folder, HOME: folder }, () => findK6())).toBe(join(folder, 'k6'));
  });
});

describe('pnpm lab k6', () => {
  it('exits 1 with install instructions when LAB_K6 is not a k6 binary', () => {
    const { status, stderr } = labK6(['replicas', '--lab', 'mutex'], { LAB_K6: '/nonexistent/k6' });
    expect(status).toBe(1);
    expect(stderr).toContain('LAB_K6=/nonexistent/k6 is not an executable file');
    expect(stderr).toContain('go install go.k6.io/k6/v2@v2.2.0');
  });

  it.each([
    [['reserve', '--lab', 'mutex'], 'valid scenarios: withdraw-storm, flash-sale, replicas, mixed'],
    [['replicas', '--lab', 'no-such-lab'], 'unknown lab "no-such-lab"'],
    [['replicas'], "required option '--lab <name>' not specified"],
    [['replicas', '--lab', 'mutex', '--replicas', '0'], '--replicas must be an integer from 1 to 16'],
    [['replicas', '--lab', 'naive', '--isolation', 'serializable'], 'lab naive has no option --isolation'],
  ])('refuses %j with exit code 2 and says why', (args, says) => {
    const { status, stderr } = labK6(args);
    expect(status).toBe(2);
    expect(stderr).toContain(says);
  });

  // k6 is part of the toolchain (scripts/install-k6.sh, run by .ci/run and scripts/with-tools):
  // without it this fails with the instructions `lab k6` prints, rather than being skipped.
  it('runs the real k6 over 3 replicas and shows the mutex lab unsafe, as expected (exit 0)', () => {
    const results = mkdtempSync(join(tmpdir(), 'lab-k6-'));
    const { status, stdout, stderr } = labK6([
      'replicas',
      '--lab',
      'mutex',
      '--race-window-ms',
      '25',
      '--results',
      results,
    ]);
    expect(status, stderr).toBe(0);
    expect(stdout).toContain('over HTTP: 40 requests from 40 k6 VUs, 3 replicas');
    expect(stdout).toMatch(/UNSAFE: \d+ kinds? of violation; as expected \(this lab is unsafe here\)/);
    expect(stdout).toContain('oversold');
    const file = join(results, 'replicas-mutex.json');
    expect(existsSync(file)).toBe(true);
    const summary = JSON.parse(readFileSync(file, 'utf8'));
    expect(summary).toMatchObject({
      format: 'concurrency-lab/k6-summary@1',
      scenario: 'replicas',
      lab: 'mutex',
      replicas: 3,
      expectation: 'unsafe',
      matchesExpectation: true,
      verdict: { valid: false },
    });
    expect(summary.counts.requests).toBe(40);
    expect(summary.counts.ok).toBeGreaterThan(10);
    expect(summary.counts.ok + (summary.counts.fail.out_of_stock ?? 0)).toBe(40);
    expect(summary.metrics.lab_violations.values.count).toBeGreaterThan(0);
  });
});
