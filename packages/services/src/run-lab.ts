import { type Progress, type RunResult, runScenario, type Scenario } from '@concurrency-lab/harness';
import { type Lab, type ResolvedLabOptions, resolveLabOptions } from '@concurrency-lab/model';
import type { ServiceHub } from './service-hub.ts';

export interface RunLabOptions {
  readonly lab: Lab;
  readonly scenario: Scenario;
  /** Resolved where the run was planned (resolveLabOptions); default: the lab's defaults. */
  readonly options?: ResolvedLabOptions;
  readonly concurrency?: number;
  readonly seed?: number;
  readonly raceWindowMs?: number;
  readonly onProgress?: (progress: Progress) => void;
}

/** Prepares the lab's services in a fresh namespace, runs the scenario, and releases them. */
export const runLab = async (hub: ServiceHub, run: RunLabOptions): Promise<RunResult> => {
  const options = run.options ?? resolveLabOptions(run.lab, {});
  const prepared = await hub.prepare(run.lab, { options });
  try {
    return await runScenario({ ...run, context: prepared.context });
  } finally {
    await prepared.release();
  }
};
