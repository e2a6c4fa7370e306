import { isScenarioName, type Progress, scenarioNamed, writeHistoryJsonl } from '@concurrency-lab/harness';
import { labNamed, labNames } from '@concurrency-lab/labs';
import { onShutdown } from '@concurrency-lab/lifecycle';
import { SCENARIO_NAMES, supportedScenarios, unsupportedReason } from '@concurrency-lab/model';
import { runLab } from '@concurrency-lab/services';
import { Command } from 'commander';
import { addFaultFlags, type FaultFlags, faultsFor } from '../fault-flags.ts';
import { addHttpFlags, type HttpFlags, httpServersFrom } from '../http-flags.ts';
import { runOverHttp } from '../http-run.ts';
import { addLabOptionFlags, labOptionsFrom } from '../lab-options.ts';
import { PROJECT_VERSION } from '../project-version.ts';
import { type ProgressReporter, progressReporter } from '../render/progress.ts';
import { renderRunReport, runResultJson } from '../render/run-report.ts';
import { withServices } from '../service-lifetime.ts';
import { nonNegativeInteger, oneOf, positiveInteger, UsageError } from '../usage-error.ts';
import { userPath } from '../user-paths.ts';

interface RunFlags extends FaultFlags, HttpFlags {
  scenario: string;
  concurrency?: number;
  seed: number;
  raceWindowMs: number;
  history?: string;
  json?: boolean;
  [option: string]: unknown;
}

/** Progress on stderr from the first operation on: operations done, violations seen so far, time left. */
const runProgress = () => {
  let reporter: ProgressReporter | undefined;
  return {
    update: (p: Progress) => {
      reporter ??= progressReporter({ total: p.total });
      reporter.update(p.done, `${p.violations} violations so far`);
    },
    stop: () => reporter?.stop(),
  };
};

/** `lab run <lab>`: one scenario against one lab, then a report; exit 0 iff the verdict is as expected. */
export const runCommand = (): Command => {
  const command = new Command('run')
    .description('run one scenario against one lab and check every invariant')
    .argument('<lab>', `the lab: ${labNames().join(', ')}`)
    .option('--scenario <name>', `the scenario: ${SCENARIO_NAMES.join(', ')}`, 'withdraw-storm')
    .option(
      '--concurrency <n>',
      'simulated clients (default: the scenario’s)',
      positiveInteger('--concurrency', 10_000),
    )
    .option('--seed <n>', 'seed of the scenario’s random choices', positiveInteger('--seed', 2 ** 31), 1)
    .option(
      '--race-window-ms <n>',
      'delay between a lab’s read and its write, to widen races for teaching',
      nonNegativeInteger('--race-window-ms'),
      0,
    )
    .option('--history <file>', 'write every operation as JSON Lines to this file')
    .option('--json', 'print one JSON object instead of the report');
  addFaultFlags(command);
  addHttpFlags(command);
  const flags = addLabOptionFlags(command);
  return command.action(async (labName: string, opts: RunFlags) => {
    const lab = labNamed(labName);
    if (!lab) throw oneOf('lab', labName, labNames());
    if (!isScenarioName(opts.scenario)) throw oneOf('scenario', opts.scenario, SCENARIO_NAMES);
    const options = labOptionsFrom(lab, flags, opts);
    const why = unsupportedReason(lab, opts.scenario, options);
    if (why !== undefined) {
      throw new UsageError(
        `lab ${lab.name} cannot run scenario ${opts.scenario}: ${why}; it runs ${supportedScenarios(lab, options).join(', ')}`,
      );
    }
    const servers = httpServersFrom(opts, opts.raceWindowMs);
    const planned = faultsFor(lab, options, opts, false, servers ?? { kind: 'in-process' });
    const bar = runProgress();
    // Ctrl-C or SIGTERM: the run stops issuing operations and returns what it did; then, in the
    // shutdown's order, its schema and keys are removed and the services this command started stop,
    // and the partial result is printed before the process exits (130 for Ctrl-C, 143 for SIGTERM).
    const controller = new AbortController();
    let finished: Promise<void> = Promise.resolve();
    const stopRun = onShutdown('work', async (signal) => {
      process.stderr.write(`\n${signal}: stopping the run (operations in flight may finish first)…\n`);
      controller.abort(signal);
      await finished.catch(() => {});
    });
    finished = (async () => {
      const run = {
        lab,
        scenario: scenarioNamed(opts.scenario as (typeof SCENARIO_NAMES)[number]),
        options,
        ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
        seed: opts.seed,
        raceWindowMs: opts.raceWindowMs,
        onProgress: bar.update,
        signal: controller.signal,
        ...planned,
      };
      const result = await withServices((hub) =>
        servers
          ? runOverHttp(hub, { ...run, servers, log: (line) => process.stderr.write(`${line}\n`) })
          : runLab(hub, run),
      ).finally(() => bar.stop());
      if (opts.history) await writeHistoryJsonl(userPath(opts.history), result, PROJECT_VERSION);
      const signal = controller.signal.aborted ? String(controller.signal.reason) : undefined;
      process.stdout.write(
        opts.json
          ? `${JSON.stringify({ ...runResultJson(result), ...(signal ? { signal } : {}) })}\n`
          : `${renderRunReport(result, lab.title, signal)}\n`,
      );
      // An interrupted run ends with the signal's exit code (set by the shutdown), not a verdict's.
      if (!result.interrupted) process.exitCode = result.matchesExpectation ? 0 : 1;
    })();
    try {
      await finished;
    } finally {
      stopRun();
    }
  });
};
