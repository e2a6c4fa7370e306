import { LABS_FOLDER, labNames } from '@concurrency-lab/labs';
import { SCENARIO_NAMES } from '@concurrency-lab/model';
import {
  summarizeReport,
  verdictText,
  violationsText,
  writeReportJson,
  writeReportPages,
} from '@concurrency-lab/report';
import { Command } from 'commander';
import { type CompareRequest, DEFAULT_COMPARE_SCENARIOS, planComparison } from '../compare/compare-plan.ts';
import { compareEnvironment, reportDocument } from '../compare/report-document.ts';
import {
  checkOutputFolder,
  copyK6Summaries,
  timestampFolder,
  unusedK6SummariesNote,
} from '../compare/report-folder.ts';
import { runMatrix } from '../compare/run-matrix.ts';
import { addFaultFlags, type FaultFlags, faultCells } from '../fault-flags.ts';
import { addHttpFlags, type HttpFlags, httpServersFrom } from '../http-flags.ts';
import { addLabOptionFlags } from '../lab-options.ts';
import { openFile } from '../open-file.ts';
import { renderCompareTable } from '../render/compare-table.ts';
import { withServices } from '../service-lifetime.ts';
import { nonNegativeInteger, positiveInteger, UsageError } from '../usage-error.ts';
import { userPath } from '../user-paths.ts';

interface CompareFlags extends CompareRequest, FaultFlags, HttpFlags {
  readonly concurrency?: number;
  readonly repeat: number;
  readonly seed: number;
  readonly raceWindowMs: number;
  readonly out?: string;
  readonly force?: boolean;
  readonly open?: boolean;
  readonly k6?: string;
}

/**
 * `lab compare`: runs labs × scenarios (× repeat) with the harness (in process, or with --http over
 * HTTP through server replicas), prints the matrix and
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
  addHttpFlags(command);
  addFaultFlags(command);
  const flags = addLabOptionFlags(command, { switchLists: true });
  return command.action(async (opts: CompareFlags) => {
    const http = httpServersFrom(opts, opts.raceWindowMs);
    if (http && opts.ops !== undefined)
      throw new UsageError(
        '--ops cannot be combined with --http: the server seeds every scenario at its full size only',
      );
    const plan = faultCells(planComparison(opts, flags), opts, http ?? { kind: 'in-process' });
    const startedAt = new Date();
    const out = userPath(opts.out ?? timestampFolder(startedAt));
    await checkOutputFolder(out, opts.force === true);
    for (const skip of plan.skipped)
      process.stderr.write(`${skip.label} on ${skip.scenario}: skipped: ${skip.reason}\n`);
    if (plan.cells.length === 0)
      throw new UsageError('none of the labs supports any of the scenarios asked for');
    const k6Count = opts.k6 ? await copyK6Summaries(userPath(opts.k6), out) : 0;

    const settings = {
      repeat: opts.repeat,
      seed: opts.seed,
      raceWindowMs: opts.raceWindowMs,
      ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
      ...(http ? { http } : {}),
    };
    // The servers are asked for their versions while the hub still holds them.
    const { results, environment } = await withServices(async (hub) => ({
      results: await runMatrix(hub, plan.cells, settings),
      environment: await compareEnvironment(
        hub,
        plan.cells.map((cell) => cell.planned),
        { seed: opts.seed, startedAt },
      ),
    }));
    const report = reportDocument(plan, settings, environment, results);
    const json = await writeReportJson(out, report);
    const pages = await writeReportPages(out, report, { labsDir: LABS_FOLDER });
    for (const problem of pages.k6.problems)
      process.stderr.write(`k6 summary skipped: ${problem.file}: ${problem.problem}\n`);

    process.stdout.write(`\n${renderCompareTable(report, pages.k6.runs)}\n\n`);
    const k6Note = k6Count > 0 ? ` (with ${pages.k6.runs.length} k6 summaries)` : '';
    process.stdout.write(`Report${k6Note}:\n  ${json}\n  ${pages.markdown}\n  ${pages.html}\n`);
    if (opts.open) openFile(pages.html);
    const unused = opts.k6 ? undefined : await unusedK6SummariesNote();
    if (unused) process.stderr.write(`${unused}\n`);

    const surprises = summarizeReport(report).cells.filter((cell) => !cell.matchesExpectation);
    for (const cell of surprises) {
      process.stderr.write(
        `NOT AS EXPECTED: ${cell.row.label} on ${cell.scenario} should be ${cell.expectation} but was ${verdictText(cell)}` +
          `${cell.violations.length > 0 ? ` (${violationsText(cell)})` : ''}\n`,
      );
    }
    process.exitCode = surprises.length === 0 && results.errors.length === 0 ? 0 : 1;
  });
};
