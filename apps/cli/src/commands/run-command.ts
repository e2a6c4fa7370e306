import { isScenarioName, type Progress, scenarioNamed, writeHistoryJsonl } from '@concurrency-lab/harness';
import { labNamed, labNames } from '@concurrency-lab/labs';
import { SCENARIO_NAMES, supportedScenarios, unsupportedReason } from '@concurrency-lab/model';
import { runLab } from '@concurrency-lab/services';
import { SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { addLabOptionFlags, labOptionsFrom } from '../lab-options.ts';
import { PROJECT_VERSION } from '../project-version.ts';
import { renderRunReport, runResultJson } from '../render/run-report.ts';
import { withServices } from '../service-lifetime.ts';
import { nonNegativeInteger, oneOf, positiveInteger, UsageError } from '../usage-error.ts';
import { userPath } from '../user-paths.ts';

interface RunFlags {
  scenario: string;
  concurrency?: number;
  seed: number;
  raceWindowMs: number;
  history?: string;
  json?: boolean;
  [option: string]: unknown;
}

/** A progress bar on stderr (only on a terminal): operations done and violations seen so far. */
const progressBar = () => {
  if (!process.stderr.isTTY) return { update: (_: Progress) => {}, stop: () => {} };
  const bar = new SingleBar({
    format: '  {bar} {value}/{total} ops · {violations} violations so far · {duration}s',
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update: (p: Progress) => {
      if (!started) bar.start(p.total, 0, { violations: 0 });
      started = true;
      bar.update(p.done, { violations: p.violations });
    },
    stop: () => bar.stop(),
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
    const bar = progressBar();
    const result = await withServices((hub) =>
      runLab(hub, {
        lab,
        scenario: scenarioNamed(opts.scenario as (typeof SCENARIO_NAMES)[number]),
        options,
        ...(opts.concurrency === undefined ? {} : { concurrency: opts.concurrency }),
        seed: opts.seed,
        raceWindowMs: opts.raceWindowMs,
        onProgress: bar.update,
      }),
    ).finally(() => bar.stop());
    if (opts.history) await writeHistoryJsonl(userPath(opts.history), result, PROJECT_VERSION);
    process.stdout.write(
      opts.json ? `${JSON.stringify(runResultJson(result))}\n` : `${renderRunReport(result, lab.title)}\n`,
    );
    process.exitCode = result.matchesExpectation ? 0 : 1;
  });
};
