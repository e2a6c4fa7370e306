import { createRng, type Progress, type Scenario } from '@concurrency-lab/harness';
import { formatNumber, type ReportRun, type RunError, rowOf } from '@concurrency-lab/report';
import { runLab, type ServiceHub } from '@concurrency-lab/services';
import { MultiBar, Presets } from 'cli-progress';
import { runResultJson } from '../render/run-report.ts';
import type { CompareCell } from './compare-plan.ts';
import { labInfoOf } from './lab-info.ts';

/** How every cell runs. */
export interface MatrixSettings {
  readonly repeat: number;
  readonly seed: number;
  readonly raceWindowMs: number;
  /** Clients per run; each scenario's own when undefined. */
  readonly concurrency?: number;
}

/** Every run of the matrix: those that gave a result, and those that could not be carried out. */
export interface MatrixResults {
  readonly runs: readonly ReportRun[];
  readonly errors: readonly RunError[];
}

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
 * Runs every cell `settings.repeat` times with the in-process harness, reporting progress on
 * stderr. A run that throws is recorded as an error and the matrix goes on; this never throws for one.
 */
export const runMatrix = async (
  hub: ServiceHub,
  cells: readonly CompareCell[],
  settings: MatrixSettings,
): Promise<MatrixResults> => {
  const { repeat } = settings;
  const opsOf = (scenario: Scenario) => scenario.ops(createRng(settings.seed)).length;
  const totalRuns = cells.length * repeat;
  const progress = matrixProgress(cells.reduce((total, cell) => total + opsOf(cell.scenario) * repeat, 0));
  const runs: ReportRun[] = [];
  const errors: RunError[] = [];
  let opsBefore = 0;
  try {
    // Repetitions are the outer loop: a slow minute on a noisy machine then spreads over every
    // cell instead of landing on one lab's runs.
    for (let repetition = 1; repetition <= repeat; repetition++) {
      for (const { planned: p, scenario } of cells) {
        const index = runs.length + errors.length + 1;
        const label = `${rowOf({ lab: p.lab.name, options: p.options }, labInfoOf(p.lab)).label} × ${scenario.name}${repeat > 1 ? ` #${repetition}` : ''}`;
        const head = `[${String(index).padStart(String(totalRuns).length)}/${totalRuns}] ${label}`;
        progress.update(opsBefore, label);
        try {
          const result = await runLab(hub, {
            lab: p.lab,
            scenario,
            options: p.options,
            ...(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency }),
            seed: settings.seed,
            raceWindowMs: settings.raceWindowMs,
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
  return { runs, errors };
};
