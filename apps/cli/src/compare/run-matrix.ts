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
import type { HttpServers } from '../http-flags.ts';
import { runOverHttp } from '../http-run.ts';
import { progressReporter } from '../render/progress.ts';
import { runResultJson } from '../render/run-report.ts';
import type { CompareCell } from './compare-plan.ts';

/** How every cell runs. */
export interface MatrixSettings {
  readonly repeat: number;
  readonly seed: number;
  readonly raceWindowMs: number;
  /** Clients per run; each scenario's own when undefined. */
  readonly concurrency?: number;
  /** Over HTTP (`--http`): each run through these servers, or through replicas started for it. */
  readonly http?: HttpServers;
}

/** Every run of the matrix: those that gave a result, and those that could not be carried out. */
export interface MatrixResults {
  readonly runs: readonly ReportRun[];
  readonly errors: readonly RunError[];
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Runs every cell `settings.repeat` times with the harness (in process, or over HTTP), reporting progress on
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
  // One line per finished run; besides, a bar of operations across the whole matrix on a terminal,
  // or a line every few seconds with the time left elsewhere.
  const progress = progressReporter({
    total: cells.reduce((total, cell) => total + opsOf(cell.scenario) * repeat, 0),
  });
  const runs: ReportRun[] = [];
  const errors: RunError[] = [];
  let opsBefore = 0;
  try {
    // Repetitions are the outer loop: a slow minute on a noisy machine then spreads over every
    // cell instead of landing on one lab's runs.
    for (let repetition = 1; repetition <= repeat; repetition++) {
      for (const { planned: p, label: row, scenario, faults = [], faultSchedule = {} } of cells) {
        const index = runs.length + errors.length + 1;
        const label = `${row} × ${scenario.name}${repeat > 1 ? ` #${repetition}` : ''}`;
        const head = `[${String(index).padStart(String(totalRuns).length)}/${totalRuns}] ${label}`;
        progress.update(opsBefore, label);
        let outcome: string;
        try {
          const run = {
            lab: p.lab,
            scenario,
            options: p.options,
            ...(settings.concurrency === undefined ? {} : { concurrency: settings.concurrency }),
            seed: settings.seed,
            raceWindowMs: settings.raceWindowMs,
            faults,
            faultSchedule,
            onProgress: (done: Progress) => progress.update(opsBefore + done.done, label),
          };
          const result = settings.http
            ? await runOverHttp(hub, { ...run, servers: settings.http })
            : await runLab(hub, run);
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
            ` · ${formatDuration(result.durationMs)}` +
            (result.criteria ? ` · criteria ${result.criteria.passed ? 'met' : 'missed'}` : '');
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
