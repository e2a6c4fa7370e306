import { createRng, type Progress, type Scenario } from '@concurrency-lab/harness';
import {
  formatDuration,
  formatMs,
  formatNumber,
  type ReportRun,
  type RunError,
  timelineOf,
  VERDICT_TEXT,
} from '@concurrency-lab/report';
import { runLab, type ServiceHub } from '@concurrency-lab/services';
import { MultiBar, Presets } from 'cli-progress';
import { runResultJson } from '../render/run-report.ts';
import type { CompareCell } from './compare-plan.ts';

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

/** Between two progress lines when stderr is not a terminal (LAB_PROGRESS_INTERVAL_MS, else 5 s). */
const progressIntervalMs = (): number => {
  const value = Number(process.env.LAB_PROGRESS_INTERVAL_MS);
  return Number.isSafeInteger(value) && value > 0 ? value : 5_000;
};

/** `about 3 min left`: the pace so far, kept up for the operations still to run. */
const timeLeft = (done: number, total: number, elapsedMs: number): string =>
  done >= total
    ? 'done'
    : done > 0
      ? `about ${formatDuration((elapsedMs * (total - done)) / done)} left`
      : 'estimating';

/**
 * Progress on stderr: one line per finished run; below them, on a terminal, a bar of operations
 * across the whole matrix with the time left, and elsewhere (a pipe, a CI log) a line every few
 * seconds, so that a long comparison shows it is alive and how long it has to go.
 */
const matrixProgress = (totalOps: number) => {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  let done = 0;
  let run = '';
  const left = () => timeLeft(done, totalOps, elapsed());
  if (!process.stderr.isTTY) {
    const timer = setInterval(() => {
      const share = totalOps > 0 ? Math.floor((done / totalOps) * 100) : 100;
      process.stderr.write(
        `progress: ${formatNumber(done)}/${formatNumber(totalOps)} ops (${share}%) · ${formatDuration(elapsed())} elapsed · ${left()} · ${run}\n`,
      );
    }, progressIntervalMs());
    // Progress must never keep a finished process alive.
    timer.unref();
    return {
      line: (text: string) => process.stderr.write(`${text}\n`),
      update: (ops: number, label: string) => {
        done = ops;
        run = label;
      },
      left,
      stop: () => clearInterval(timer),
    };
  }
  const multi = new MultiBar(
    {
      format: '  {bar} {percentage}% · {value}/{total} ops · {left} · {run}',
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    },
    Presets.shades_classic,
  );
  const bar = multi.create(totalOps, 0, { run: '', left: 'estimating' });
  return {
    line: (text: string) => multi.log(`${text}\n`),
    update: (ops: number, label: string) => {
      done = ops;
      run = label;
      bar.update(ops, { run: label, left: left() });
    },
    left,
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
      for (const { planned: p, label: row, scenario } of cells) {
        const index = runs.length + errors.length + 1;
        const label = `${row} × ${scenario.name}${repeat > 1 ? ` #${repetition}` : ''}`;
        const head = `[${String(index).padStart(String(totalRuns).length)}/${totalRuns}] ${label}`;
        progress.update(opsBefore, label);
        let outcome: string;
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
          runs.push({ repetition, result: runResultJson(result), timeline: timelineOf(result.history) });
          const verdict =
            result.verdict.valid === true
              ? VERDICT_TEXT.safe
              : result.verdict.valid === false
                ? `${VERDICT_TEXT.unsafe} (${result.verdict.violations.map((v) => v.kind).join(', ')})`
                : VERDICT_TEXT.unknown;
          outcome =
            `${verdict}, ${result.matchesExpectation ? 'as expected' : `NOT AS EXPECTED (declared ${result.expectation})`}` +
            ` · ${formatNumber(result.throughputOpsPerSec)} ops/s · p99 ${formatMs(result.latencyMs.p99)} ms` +
            ` · ${formatDuration(result.durationMs)}`;
        } catch (error) {
          errors.push({
            lab: p.lab.name,
            options: p.options,
            scenario: scenario.name,
            repetition,
            message: errorText(error),
          });
          outcome = `ERROR ${errorText(error)}`;
        }
        opsBefore += opsOf(scenario);
        progress.update(opsBefore, label);
        progress.line(`${head}: ${outcome}${index < totalRuns ? ` · ${progress.left()}` : ''}`);
      }
    }
  } finally {
    progress.stop();
  }
  return { runs, errors };
};
