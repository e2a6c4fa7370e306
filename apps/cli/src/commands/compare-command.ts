import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createRng,
  isScenarioName,
  type Progress,
  type Scenario,
  scaledScenario,
  scenarioNamed,
} from '@concurrency-lab/harness';
import { labNames } from '@concurrency-lab/labs';
import { type Lab, SCENARIO_NAMES, type ScenarioName, supportedScenarios } from '@concurrency-lab/model';
import {
  formatNumber,
  type LabInfo,
  probeEnvironment,
  REPORT_FORMAT,
  REPORT_VERSION,
  type ReportDocument,
  type ReportRun,
  type RunError,
  rowOf,
  summarizeReport,
  verdictText,
  violationsText,
  writeReportJson,
  writeReportPages,
} from '@concurrency-lab/report';
import { runLab } from '@concurrency-lab/services';
import { MultiBar, Presets } from 'cli-progress';
import { Command } from 'commander';
import { openFile } from '../open-file.ts';
import { renderCompareTable } from '../render/compare-table.ts';
import { runResultJson } from '../render/run-report.ts';
import { withServices } from '../service-lifetime.ts';
import { nonNegativeInteger, oneOf, positiveInteger, UsageError } from '../usage-error.ts';
import { userPath } from '../user-paths.ts';
import { addLabOptionFlags, type ChosenLab, chooseLabs, namesFrom } from './lab-options.ts';

/** Where `lab k6` writes its summaries unless told otherwise. */
const DEFAULT_K6_RESULTS = 'results/k6';

/** The scenarios a comparison runs when none are named: the three that every strategy can be judged on. */
export const DEFAULT_COMPARE_SCENARIOS: readonly ScenarioName[] = ['withdraw-storm', 'flash-sale', 'mixed'];

interface CompareFlags {
  labs?: string;
  scenarios?: string;
  concurrency?: number;
  repeat: number;
  seed: number;
  raceWindowMs: number;
  ops?: number;
  out?: string;
  force?: boolean;
  open?: boolean;
  k6?: string;
  [option: string]: unknown;
}

/** What the report keeps about a lab, so that it reads on its own later. */
const labInfoOf = (lab: Lab): LabInfo => {
  const specs = Object.entries(lab.options ?? {});
  return {
    name: lab.name,
    title: lab.title,
    summary: lab.summary,
    needs: [...lab.needs],
    optionDefaults: Object.fromEntries(specs.map(([name, spec]) => [name, spec.default])),
    keyOptions: specs.filter(([, spec]) => spec.kind === 'choice').map(([name]) => name),
  };
};

/** `reports/2026-11-22T03-45-12`: sortable, and free of the colons some file systems refuse. */
const timestampFolder = (date: Date) =>
  join('reports', date.toISOString().replace(/:/g, '-').replace(/\..*$/, ''));

/** Refuses (before anything runs) to write into a folder that already holds something, unless forced. */
const checkOutputFolder = async (dir: string, force: boolean): Promise<void> => {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new UsageError(`--out ${dir} is a file, not a folder`);
    throw error;
  }
  if (entries.length > 0 && !force) {
    throw new UsageError(
      `output folder ${dir} already exists and is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); ` +
        'choose another --out, or add --force to replace the report files in it',
    );
  }
};

/** Copies the k6 summaries from `from` into `<out>/k6`, so that the report folder stands on its own. */
const copyK6Summaries = async (from: string, out: string): Promise<number> => {
  let names: string[];
  try {
    names = (await readdir(from)).filter((name) => name.endsWith('.json'));
  } catch {
    throw new UsageError(`--k6 ${from}: no such folder (it should hold the JSON summaries k6 runs wrote)`);
  }
  await mkdir(join(out, 'k6'), { recursive: true });
  await Promise.all(names.map((name) => copyFile(join(from, name), join(out, 'k6', name))));
  return names.length;
};

/**
 * Progress on stderr: one line per finished run, and on a terminal an overall bar of operations
 * across the whole matrix below those lines.
 */
const matrixProgress = (totalOps: number) => {
  if (!process.stderr.isTTY) {
    return {
      line: (text: string) => process.stderr.write(`${text}\n`),
      update: (_: number, __: string) => {},
      stop: () => {},
    };
  }
  const multi = new MultiBar(
    {
      format: '  {bar} {percentage}% · {value}/{total} ops · {run}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 30,
    },
    Presets.shades_classic,
  );
  const bar = multi.create(totalOps, 0, { run: '' });
  return {
    line: (text: string) => multi.log(`${text}\n`),
    update: (done: number, run: string) => bar.update(done, { run }),
    stop: () => multi.stop(),
  };
};

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * `lab compare`: runs labs × scenarios (× repeat) with the in-process harness, prints the matrix and
 * writes report.json, report.md and report.html; exit 0 iff every cell is as its lab declares.
 */
export const compareCommand = (): Command => {
  const command = new Command('compare')
    .description('run labs × scenarios and write a comparison report (JSON, Markdown, HTML with charts)')
    .option('--labs <names>', `comma-separated labs (default: all: ${labNames().join(', ')})`)
    .option(
      '--scenarios <names>',
      `comma-separated scenarios: ${SCENARIO_NAMES.join(', ')} (default: ${DEFAULT_COMPARE_SCENARIOS.join(', ')})`,
    )
    .option(
      '--concurrency <n>',
      'simulated clients in every run (default: each scenario’s)',
      positiveInteger('--concurrency', 10_000),
    )
    .option(
      '--repeat <k>',
      'run each cell k times and report the median and range',
      positiveInteger('--repeat', 100),
      1,
    )
    .option(
      '--ops <n>',
      'scale every scenario to about n operations, proportions kept (quick looks, tests)',
      positiveInteger('--ops', 1_000_000),
    )
    .option('--seed <n>', 'seed of the scenarios’ random choices', positiveInteger('--seed', 2 ** 31), 1)
    .option(
      '--race-window-ms <n>',
      'delay between a lab’s read and its write, to widen races',
      nonNegativeInteger('--race-window-ms'),
      0,
    )
    .option('--out <dir>', 'folder for report.json, report.md and report.html (default: reports/<timestamp>)')
    .option('--force', 'write into --out even when it already holds files (replaces the report files)')
    .option('--k6 <dir>', 'folder of k6 JSON summaries to include (copied into <out>/k6)')
    .option('--open', 'open report.html when done (xdg-open), or print where it is');
  const flags = addLabOptionFlags(command);
  return command.action(async (opts: CompareFlags) => {
    const planned = chooseLabs(
      opts.labs ? namesFrom(opts.labs, '--labs') : labNames(),
      flags,
      opts,
      'compared',
    );
    const scenarioNames = opts.scenarios
      ? namesFrom(opts.scenarios, '--scenarios')
      : [...DEFAULT_COMPARE_SCENARIOS];
    for (const name of scenarioNames)
      if (!isScenarioName(name)) throw oneOf('scenario', name, SCENARIO_NAMES);
    const scenarios = (scenarioNames as ScenarioName[]).map((name) =>
      opts.ops === undefined ? scenarioNamed(name) : scaledScenario(name, opts.ops),
    );
    const startedAt = new Date();
    const out = userPath(opts.out ?? timestampFolder(startedAt));
    await checkOutputFolder(out, opts.force === true);

    const cells: { planned: ChosenLab; scenario: Scenario }[] = [];
    for (const p of planned) {
      const supported = supportedScenarios(p.lab, p.options);
      for (const scenario of scenarios) {
        if (supported.includes(scenario.name)) cells.push({ planned: p, scenario });
        else
          process.stderr.write(`Skipping ${p.lab.name} on ${scenario.name}: the lab does not support it.\n`);
      }
    }
    if (cells.length === 0) throw new UsageError('none of the labs supports any of the scenarios asked for');
    const k6Count = opts.k6 ? await copyK6Summaries(userPath(opts.k6), out) : 0;

    const opsOf = (scenario: Scenario) => scenario.ops(createRng(opts.seed)).length;
    const totalRuns = cells.length * opts.repeat;
    const progress = matrixProgress(
      cells.reduce((total, cell) => total + opsOf(cell.scenario) * opts.repeat, 0),
    );
    const runs: ReportRun[] = [];
    const errors: RunError[] = [];
    let opsBefore = 0;

    const environment = await withServices(async (hub) => {
      try {
        // Repetitions are the outer loop: a slow minute on a noisy machine then spreads over every
        // cell instead of landing on one lab's runs.
        for (let repetition = 1; repetition <= opts.repeat; repetition++) {
          for (const { planned: p, scenario } of cells) {
            const index = runs.length + errors.length + 1;
            const label = `${rowOf({ lab: p.lab.name, options: p.options }, labInfoOf(p.lab)).label} × ${scenario.name}${opts.repeat > 1 ? ` #${repetition}` : ''}`;
            const head = `[${String(index).padStart(String(totalRuns).length)}/${totalRuns}] ${label}`;
            progress.update(opsBefore, label);
            try {
              const result = await runLab(hub, {
                lab: p.lab,
                scenario,
                options: p.options,
                ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
                seed: opts.seed,
                raceWindowMs: opts.raceWindowMs,
                onProgress: (done: Progress) => progress.update(opsBefore + done.done, label),
              });
              runs.push({ repetition, result: runResultJson(result) });
              const verdict =
                result.verdict.valid === true
                  ? 'SAFE'
                  : result.verdict.valid === false
                    ? `UNSAFE (${result.verdict.violations.map((v) => `${v.kind} ×${formatNumber(v.count)}`).join(', ')})`
                    : 'UNKNOWN';
              progress.line(
                `${head}: ${verdict}, ${result.matchesExpectation ? 'as expected' : `NOT AS EXPECTED (declared ${result.expectation})`}` +
                  ` · ${formatNumber(result.throughputOpsPerSec)} ops/s · p99 ${formatNumber(result.latencyMs.p99)} ms` +
                  ` · ${(result.durationMs / 1000).toFixed(1)} s`,
              );
            } catch (error) {
              errors.push({
                lab: p.lab.name,
                options: p.options,
                scenario: scenario.name,
                repetition,
                message: errorText(error),
              });
              progress.line(`${head}: ERROR ${errorText(error)}`);
            }
            opsBefore += opsOf(scenario);
            progress.update(opsBefore, label);
          }
        }
      } finally {
        progress.stop();
      }
      const needs = (service: 'postgres' | 'redis' | 'redlock') =>
        planned.some((p) => p.lab.needs.includes(service));
      // Versions of the servers the labs actually used; a probe that fails leaves null, never an error.
      const redisUrl = needs('redis')
        ? await hub.redisUrl().catch(() => undefined)
        : needs('redlock')
          ? (await hub.redlockUrls().catch(() => []))[0]
          : undefined;
      return probeEnvironment({
        ...(needs('postgres') ? { postgresUrl: await hub.postgresUrl().catch(() => '') } : {}),
        ...(redisUrl ? { redisUrl } : {}),
        redis: needs('redis') || needs('redlock'),
        seed: opts.seed,
        startedAt,
      });
    });

    const report: ReportDocument = {
      format: REPORT_FORMAT,
      version: REPORT_VERSION,
      command: ['lab', ...process.argv.slice(2)]
        .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
        .join(' '),
      settings: {
        labs: planned.map((p) => p.lab.name),
        scenarios: scenarios.map((s) => s.name),
        concurrency: opts.concurrency ?? null,
        repeat: opts.repeat,
        raceWindowMs: opts.raceWindowMs,
        ops: opts.ops ?? null,
      },
      environment,
      labs: planned.map(({ lab }) => labInfoOf(lab)),
      scenarios: scenarios.map((s) => ({ name: s.name, title: s.title, description: s.description })),
      runs,
      errors,
    };
    const json = await writeReportJson(out, report);
    const pages = await writeReportPages(out, report);
    for (const problem of pages.k6.problems)
      process.stderr.write(`k6 summary skipped: ${problem.file}: ${problem.problem}\n`);

    process.stdout.write(`\n${renderCompareTable(report)}\n\n`);
    const k6Note = k6Count > 0 ? ` (with ${pages.k6.runs.length} k6 summaries)` : '';
    process.stdout.write(`Report${k6Note}:\n  ${json}\n  ${pages.markdown}\n  ${pages.html}\n`);
    if (opts.open) openFile(pages.html);
    if (!opts.k6) {
      // `lab k6` writes its summaries here by default; say so rather than mix old results in silently.
      const k6Results = userPath(DEFAULT_K6_RESULTS);
      const found = await readdir(k6Results).then(
        (names) => names.filter((name) => name.endsWith('.json')).length,
        () => 0,
      );
      if (found > 0) {
        process.stderr.write(
          `${found} k6 summaries are in ${k6Results}; add --k6 ${DEFAULT_K6_RESULTS} to include them in the report.\n`,
        );
      }
    }

    const matrix = summarizeReport(report);
    const surprises = matrix.cells.filter((cell) => !cell.matchesExpectation);
    for (const cell of surprises) {
      process.stderr.write(
        `NOT AS EXPECTED: ${cell.row.label} on ${cell.scenario} should be ${cell.expectation} but was ${verdictText(cell)}` +
          `${cell.violations.length > 0 ? ` (${violationsText(cell)})` : ''}\n`,
      );
    }
    process.exitCode = surprises.length === 0 && errors.length === 0 ? 0 : 1;
  });
};
