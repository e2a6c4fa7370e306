import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { styleText } from 'node:util';
import type { RunResult } from '@concurrency-lab/harness';
import { createRng, SCENARIOS, scenarioNamed, successCriteriaFor } from '@concurrency-lab/harness';
// The scenario plans live beside the k6 scripts (k6 reads them too); a test pins them to the harness.
import { K6_SCENARIOS, type K6Plan, type K6ScenarioName } from '@concurrency-lab/k6-scenarios/lib/plans.ts';
import { labNamed, labNames } from '@concurrency-lab/labs';
import {
  type Expectation,
  expectationFor,
  type FailReason,
  type State,
  verdictMatches,
} from '@concurrency-lab/model';
import { startLabReplicas } from '@concurrency-lab/server';
import { Command } from 'commander';
import { findK6 } from '../k6-binary.ts';
import { addLabOptionFlags, labOptionsFrom } from '../lab-options.ts';
import { renderRunReport } from '../render/run-report.ts';
import { textTable } from '../render/text-table.ts';
import { withServices } from '../service-lifetime.ts';
import { nonNegativeInteger, oneOf, positiveInteger, UsageError } from '../usage-error.ts';
import { userPath } from '../user-paths.ts';
import { portNumber, SERVE_NAMESPACE } from './serve-command.ts';

/** Where the k6 scripts are: `k6/` at the repository root. */
export const K6_DIR = fileURLToPath(
  new URL('./', import.meta.resolve('@concurrency-lab/k6-scenarios/package.json')),
);

interface K6Flags {
  lab: string;
  replicas?: number;
  port?: number;
  raceWindowMs: number;
  results: string;
  json?: boolean;
  dashboard?: boolean;
  [option: string]: unknown;
}

/** The parts of the summary that k6/lib/lab-summary.ts writes and this command reads. */
interface K6Summary {
  readonly format: string;
  readonly vus: number;
  readonly expectation: Expectation;
  readonly counts: {
    readonly requests: number;
    readonly ok: number;
    readonly reads: number;
    readonly fail: Readonly<Partial<Record<FailReason, number>>>;
    readonly unexpectedStatus: number;
    readonly statuses: Readonly<Record<string, number>>;
  };
  readonly loadDurationMs: number;
  readonly throughputOpsPerSec: number;
  readonly latencyMs: RunResult['latencyMs'];
  readonly contention: { readonly conflicts: number; readonly retries: number; readonly lockWaitMs: number };
  readonly thresholdsPassed: boolean;
  /** The success criteria's thresholds held (information: they never decide the exit code). */
  readonly criteriaMet?: boolean;
  readonly verdict: RunResult['verdict'];
  readonly matchesExpectation: boolean;
  readonly check: { readonly initialState: State; readonly finalState: State } | null;
}

/** k6's exit codes that still mean "the test ran": 0, and 99 (thresholds crossed). */
const RAN = new Set([0, 99]);

/** What one `lab k6` run hands to k6, beside the environment it inherits. */
export interface K6Run {
  readonly scenario: K6ScenarioName;
  readonly lab: string;
  readonly urls: readonly string[];
  readonly expectation: Expectation;
  readonly adminToken: string;
  readonly resultsDir: string;
  /** Turn on k6's web dashboard and write its HTML export into the results folder. */
  readonly dashboard: boolean;
}

/**
 * The k6 plan of a scenario, built from the scenario's own builder (its load over HTTP, its operations
 * and its exact outcome), so that k6 and an in-process run never disagree on what the scenario is.
 */
export const k6PlanOf = (scenario: K6ScenarioName): K6Plan => {
  const definition = SCENARIOS[scenario];
  const load = definition.httpLoad;
  if (!load) throw new Error(`scenario ${scenario} declares no load over HTTP`);
  const full = definition.full();
  return {
    scenario,
    vus: load.clients,
    iterations: full.ops(createRng(1)).length,
    executor: load.executor,
    replicas: load.replicas,
    expected: {
      ...(full.expected.ok === undefined ? {} : { ok: full.expected.ok }),
      ...(full.expected.fail === undefined ? {} : { fail: full.expected.fail }),
    },
    maxDuration: load.maxDuration,
    criteria: successCriteriaFor(scenario),
  };
};

/** The HTML export of k6's web dashboard for a run: beside its JSON summary. */
export const dashboardExportFile = (run: Pick<K6Run, 'scenario' | 'lab' | 'resultsDir'>): string =>
  join(run.resultsDir, `${run.scenario}-${run.lab}-dashboard.html`);

/**
 * The environment k6 runs with: the inherited one, the scripts' LAB_* variables (k6/lib/env-vars.ts),
 * and with `dashboard` k6's own web dashboard (K6_WEB_DASHBOARD) and its HTML export. The dashboard
 * listens on loopback unless the inherited environment says otherwise, like everything else here.
 */
export const k6Environment = (
  run: K6Run,
  inherited: Readonly<Record<string, string | undefined>> = process.env,
): Record<string, string | undefined> => ({
  ...inherited,
  LAB_URLS: run.urls.join(','),
  LAB_LAB: run.lab,
  LAB_EXPECT: run.expectation,
  LAB_ADMIN_TOKEN: run.adminToken,
  LAB_RESULTS_DIR: run.resultsDir,
  LAB_PLAN: JSON.stringify(k6PlanOf(run.scenario)),
  K6_NO_USAGE_REPORT: 'true',
  ...(run.dashboard
    ? {
        K6_WEB_DASHBOARD: 'true',
        K6_WEB_DASHBOARD_EXPORT: dashboardExportFile(run),
        K6_WEB_DASHBOARD_HOST: inherited.K6_WEB_DASHBOARD_HOST ?? '127.0.0.1',
      }
    : {}),
});

/** Runs k6 to completion; its progress and log go to stderr, its stdout text is not needed. */
const runK6 = async (
  k6: string,
  script: string,
  env: Record<string, string | undefined>,
): Promise<number> => {
  const args = ['run', ...(process.stderr.isTTY ? [] : ['--quiet']), script];
  const child = spawn(k6, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  return code ?? (signal ? 128 : 1);
};

/** Resets the lab through every replica before k6 starts, so that a refusal is reported clearly. */
const resetEveryReplica = async (urls: readonly string[], token: string, scenario: string, lab: string) => {
  for (const url of urls) {
    const response = await fetch(`${url}/admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ scenario, lab }),
      signal: AbortSignal.timeout(60_000),
    });
    if (!response.ok)
      throw new Error(`resetting ${lab} through ${url} failed: ${response.status} ${await response.text()}`);
  }
};

/** The summary as a RunResult, so that it prints like `lab run` (the history stays with the replicas). */
const asRunResult = (
  summary: K6Summary,
  scenario: K6ScenarioName,
  lab: string,
  options: RunResult['options'],
  raceWindowMs: number,
  expectation: Expectation,
  startedAt: string,
): RunResult => {
  const { counts } = summary;
  const okOps = counts.ok + counts.reads;
  const empty: State = { accounts: [], items: [] };
  return {
    lab,
    scenario,
    options,
    concurrency: summary.vus,
    seed: 0,
    raceWindowMs,
    notApplicable: {},
    startedAt,
    verdict: summary.verdict,
    expectation,
    matchesExpectation: verdictMatches(expectation, summary.verdict.valid),
    expected: scenarioNamed(scenario).expected,
    counts: { ok: okOps, fail: counts.fail, info: counts.unexpectedStatus, total: counts.requests },
    durationMs: summary.loadDurationMs,
    throughputOpsPerSec: summary.throughputOpsPerSec,
    latencyMs: summary.latencyMs,
    contention: {
      ...summary.contention,
      attemptsPerOk:
        counts.ok > 0 ? Number(((counts.ok + summary.contention.retries) / counts.ok).toFixed(3)) : 0,
    },
    initialState: summary.check?.initialState ?? empty,
    finalState: summary.check?.finalState ?? empty,
    history: [],
  };
};

/**
 * `lab k6 <scenario> --lab <lab>`: starts the services and the server replicas, resets the state,
 * runs the real k6 on `k6/<scenario>.ts`, reads the JSON summary it writes, prints it like `lab run`,
 * and exits 0 when the verdict matches what the lab should do with that many replicas.
 */
export const k6Command = (): Command => {
  const command = new Command('k6')
    .description('drive a lab over HTTP with k6 (server replicas started here) and check every invariant')
    .argument('<scenario>', `the k6 scenario: ${K6_SCENARIOS.join(', ')}`)
    .requiredOption('--lab <name>', `the lab: ${labNames().join(', ')}`)
    .option(
      '--replicas <n>',
      'server processes, requests spread round-robin (default: the scenario’s; replicas: 3)',
      positiveInteger('--replicas', 16),
    )
    .option('--port <n>', 'port of the first replica (default: free consecutive ports)', portNumber)
    .option(
      '--race-window-ms <n>',
      'delay between a lab’s read and its write in the server (LAB_RACE_WINDOW_MS), to widen races',
      nonNegativeInteger('--race-window-ms'),
      0,
    )
    .option('--results <dir>', 'folder for the k6 JSON summary (<scenario>-<lab>.json)', 'results/k6')
    .option('--json', 'print the k6 summary JSON instead of the report')
    .option(
      '--dashboard',
      'turn on k6’s web dashboard while it runs and write its HTML export to <results>/<scenario>-<lab>-dashboard.html',
    );
  const flags = addLabOptionFlags(command);
  return command.action(async (scenarioName: string, opts: K6Flags) => {
    if (!(K6_SCENARIOS as readonly string[]).includes(scenarioName))
      throw oneOf('scenario', scenarioName, K6_SCENARIOS);
    const scenario = scenarioName as K6ScenarioName;
    const plan = k6PlanOf(scenario);
    const lab = labNamed(opts.lab);
    if (!lab) throw oneOf('lab', opts.lab, labNames());
    const options = labOptionsFrom(lab, flags, opts);
    const replicas = opts.replicas ?? plan.replicas;
    const expectation = expectationFor(lab, scenario, { options, replicas });
    if (!expectation) throw new UsageError(`lab ${lab.name} does not support scenario ${scenario}`);
    // Before starting anything: without k6 there is nothing to do, and the message says how to get it.
    const k6 = findK6();
    const resultsDir = userPath(opts.results);
    const summaryFile = join(resultsDir, `${scenario}-${lab.name}.json`);
    const dashboard = opts.dashboard === true;
    const dashboardFile = dashboardExportFile({ scenario, lab: lab.name, resultsDir });
    await mkdir(resultsDir, { recursive: true });
    // A summary (or dashboard) left by an earlier run must not pass for this one's.
    await rm(summaryFile, { force: true });
    await rm(dashboardFile, { force: true });

    const token = randomBytes(16).toString('hex');
    const startedAt = new Date().toISOString();
    const k6Code = await withServices(async (hub) => {
      process.stderr.write(
        `Starting the services and ${replicas} replica${replicas === 1 ? '' : 's'} for ${lab.name}…\n`,
      );
      const set = await startLabReplicas(hub, {
        lab,
        options,
        replicas,
        ...(opts.port === undefined ? {} : { port: opts.port }),
        raceWindowMs: opts.raceWindowMs,
        adminToken: token,
        namespace: SERVE_NAMESPACE,
      });
      try {
        await resetEveryReplica(set.urls, token, scenario, lab.name);
        process.stderr.write(
          `Running k6 ${scenario} (${plan.iterations} requests from ${plan.vus} VUs) against ${set.urls.join(', ')}…\n`,
        );
        const env = k6Environment({
          scenario,
          lab: lab.name,
          urls: set.urls,
          expectation,
          adminToken: token,
          resultsDir,
          dashboard,
        });
        if (dashboard)
          process.stderr.write(
            `k6's web dashboard: http://${env.K6_WEB_DASHBOARD_HOST}:${env.K6_WEB_DASHBOARD_PORT ?? '5665'} while k6 runs (k6 waits for an open dashboard page to close before it exits)\n`,
          );
        return await runK6(k6, join(K6_DIR, `${scenario}.ts`), env);
      } finally {
        await set.stop();
      }
    });

    let summary: K6Summary;
    try {
      summary = JSON.parse(await readFile(summaryFile, 'utf8')) as K6Summary;
    } catch {
      throw new Error(
        `k6 exited with code ${k6Code} and wrote no summary to ${summaryFile}; its log is above`,
      );
    }
    if (!RAN.has(k6Code))
      throw new Error(`k6 exited with code ${k6Code}; its log is above (summary: ${summaryFile})`);
    const result = asRunResult(
      summary,
      scenario,
      lab.name,
      options,
      opts.raceWindowMs,
      expectation,
      startedAt,
    );
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(summary)}\n`);
    } else {
      const report = renderRunReport(result, lab.title).split('\n');
      // The in-process header names a seed; over HTTP the line that matters is who served whom.
      report[1] = `${styleText('bold', 'Scenario')}   ${scenario} over HTTP: ${plan.iterations} requests from ${summary.vus} k6 VUs, ${replicas} replica${replicas === 1 ? '' : 's'}, race window ${opts.raceWindowMs} ms`;
      const statuses = Object.entries(summary.counts.statuses).map(([status, n]) => [status, String(n)]);
      process.stdout.write(
        [
          ...report.slice(0, -1),
          `HTTP statuses\n${textTable([['status', 'responses'], ...statuses], '  ')}`,
          `k6 thresholds ${summary.thresholdsPassed ? 'passed' : 'crossed'} (k6 exit code ${k6Code}); summary: ${summaryFile}`,
          ...(summary.criteriaMet === undefined
            ? []
            : [
                `success criteria (${plan.criteria.tier}: ≥ ${plan.criteria.minThroughputOpsPerSec} ops/s, mean < ${plan.criteria.maxMeanMs} ms, p99 < ${plan.criteria.maxP99Ms} ms) ${summary.criteriaMet ? 'met' : 'missed (information only)'}`,
              ]),
          ...(dashboard
            ? [
                existsSync(dashboardFile)
                  ? `k6 web dashboard export: ${dashboardFile}`
                  : `k6 wrote no web dashboard export to ${dashboardFile} (its web dashboard came with k6 v0.49)`,
              ]
            : []),
          '',
          report.at(-1),
          '',
        ].join('\n'),
      );
    }
    process.exitCode = result.matchesExpectation ? 0 : 1;
  });
};
