import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { k6Environment, k6PlanOf } from '../src/commands/k6-command.ts';
import { findK6, K6NotFoundError, k6IfInstalled } from '../src/k6-binary.ts';
import { CLI_ENTRY } from './run-cli.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));

// The project never builds or fetches k6 (it is AGPL-licensed): the tests that run the real k6 run
// where the user has one, and are reported as skipped, with the reason in their name, where not.
const k6 = k6IfInstalled();
const needsK6 = (name: string) =>
  k6 ? name : `${name} (skipped: needs a k6 binary on PATH or LAB_K6, none found)`;

/** What `lab k6` must say when there is no k6: Grafana's own channels, and LAB_K6. */
const expectInstallHelp = (message: string) => {
  expect(message).toContain(
    'This project does not build or ship k6; get it from one of Grafana’s own channels',
  );
  expect(message).toContain('Grafana’s k6 .deb or .rpm package');
  expect(message).toContain('brew install k6');
  expect(message).toContain('the grafana/k6 image');
  expect(message).toContain('the k6-operator');
  expect(message).toContain('point LAB_K6 at the k6 binary');
  expect(message).not.toMatch(/go install|go build|GOPATH/);
};

/** `lab k6 …` from the repository root, as `pnpm lab k6 …` runs it, with extra environment. */
const labK6 = (args: string[], env: Record<string, string> = {}) => {
  const result = spawnSync(process.execPath, [CLI_ENTRY, 'k6', ...args], {
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
    expect(message).toContain('LAB_K6 is not set and there is no k6 on PATH');
    expectInstallHelp(message);
  });

  it('no longer looks in Go’s bin folder, which only the project’s own k6 build ever filled', () => {
    const home = mkdtempSync(join(tmpdir(), 'go-home-'));
    mkdirSync(join(home, 'go', 'bin'), { recursive: true });
    writeFileSync(join(home, 'go', 'bin', 'k6'), '#!/bin/sh\necho k6\n');
    chmodSync(join(home, 'go', 'bin', 'k6'), 0o755);
    expect(() => withEnv({ PATH: join(home, 'empty'), HOME: home }, () => findK6())).toThrow(K6NotFoundError);
  });

  it('takes the k6 it finds on PATH', () => {
    const folder = mkdtempSync(join(tmpdir(), 'fake-k6-'));
    writeFileSync(join(folder, 'k6'), '#!/bin/sh\necho k6\n');
    chmodSync(join(folder, 'k6'), 0o755);
    expect(withEnv({ PATH: folder, HOME: folder }, () => findK6())).toBe(join(folder, 'k6'));
  });
});

describe('the environment lab k6 hands to k6', () => {
  const run = {
    scenario: 'replicas',
    lab: 'mutex',
    urls: ['http://127.0.0.1:8080', 'http://127.0.0.1:8081'],
    expectation: 'unsafe',
    adminToken: 'token',
    resultsDir: '/tmp/results/k6',
  } as const;

  it('names the replicas, the lab, what it expects and where the summary goes', () => {
    expect(k6Environment({ ...run, dashboard: false }, { PATH: '/usr/bin' })).toEqual({
      PATH: '/usr/bin',
      LAB_URLS: 'http://127.0.0.1:8080,http://127.0.0.1:8081',
      LAB_LAB: 'mutex',
      LAB_EXPECT: 'unsafe',
      LAB_ADMIN_TOKEN: 'token',
      LAB_RESULTS_DIR: '/tmp/results/k6',
      LAB_PLAN: JSON.stringify(k6PlanOf('replicas')),
      K6_NO_USAGE_REPORT: 'true',
    });
  });

  it("hands k6 the plan built from the scenario's own builder: 40 orders from 40 VUs over 3 replicas, 10 ok, stress criteria", () => {
    expect(JSON.parse(k6Environment({ ...run, dashboard: false }, {}).LAB_PLAN ?? '')).toEqual({
      scenario: 'replicas',
      vus: 40,
      iterations: 40,
      executor: 'per-vu-iterations',
      replicas: 3,
      expected: { ok: 10, fail: { out_of_stock: 30 } },
      maxDuration: '2m',
      criteria: { tier: 'stress', minThroughputOpsPerSec: 100, maxMeanMs: 200, maxP99Ms: 1000 },
    });
  });

  it('with --dashboard, turns on k6’s web dashboard on loopback and exports it into the results folder', () => {
    const env = k6Environment({ ...run, dashboard: true }, {});
    expect(env).toMatchObject({
      K6_WEB_DASHBOARD: 'true',
      K6_WEB_DASHBOARD_EXPORT: '/tmp/results/k6/replicas-mutex-dashboard.html',
      K6_WEB_DASHBOARD_HOST: '127.0.0.1',
    });
    // A host the user chose for the dashboard is kept.
    expect(
      k6Environment({ ...run, dashboard: true }, { K6_WEB_DASHBOARD_HOST: '::1' }).K6_WEB_DASHBOARD_HOST,
    ).toBe('::1');
  });
});

describe('pnpm lab k6', () => {
  it('exits 1 with install instructions when LAB_K6 is not a k6 binary', () => {
    const { status, stderr } = labK6(['replicas', '--lab', 'mutex'], { LAB_K6: '/nonexistent/k6' });
    expect(status).toBe(1);
    expect(stderr).toContain('LAB_K6=/nonexistent/k6 is not an executable file');
    expectInstallHelp(stderr);
  });

  it('exits 1 saying how to get k6 when there is none on PATH, before starting anything', () => {
    // PATH keeps only node's folder, pnpm's, and a folder with just `sh`: no k6 anywhere on it.
    const shell = mkdtempSync(join(tmpdir(), 'only-sh-'));
    symlinkSync('/bin/sh', join(shell, 'sh'));
    const pnpm = (process.env.PATH ?? '').split(delimiter).find((folder) => existsSync(join(folder, 'pnpm')));
    const bare = [dirname(process.execPath), pnpm, shell].filter((folder): folder is string => !!folder);
    if (bare.some((folder) => existsSync(join(folder, 'k6'))))
      throw new Error(`k6 sits beside node or pnpm (${bare.join(', ')}): this test cannot hide it`);
    const env: Record<string, string> = { PATH: bare.join(delimiter), LAB_K6: '' };
    const { status, stderr } = labK6(['replicas', '--lab', 'mutex'], env);
    expect(status, stderr).toBe(1);
    expect(stderr).toContain('LAB_K6 is not set and there is no k6 on PATH');
    expectInstallHelp(stderr);
    expect(stderr).not.toContain('Starting the services');
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

  it.skipIf(!k6)(
    needsK6('runs the real k6 over 3 replicas and shows the mutex lab unsafe, as expected (exit 0)'),
    () => {
      const results = mkdtempSync(join(tmpdir(), 'lab-k6-'));
      const { status, stdout, stderr } = labK6([
        'replicas',
        '--lab',
        'mutex',
        '--race-window-ms',
        '25',
        '--results',
        results,
        '--dashboard',
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
      // --dashboard: k6's own web dashboard, exported as one HTML file beside the summary.
      const dashboard = join(results, 'replicas-mutex-dashboard.html');
      expect(stdout).toContain(`k6 web dashboard export: ${dashboard}`);
      expect(readFileSync(dashboard, 'utf8')).toMatch(/<html/i);
    },
  );
});
