import { type Progress, type RunResult, runScenario, type Scenario } from '@concurrency-lab/harness';
import type { Lab, LabOptionValue } from '@concurrency-lab/model';
import type { ServiceHub } from './services.ts';

export interface RunLabOptions {
  readonly lab: Lab;
  readonly scenario: Scenario;
  readonly options?: Readonly<Record<string, LabOptionValue>>;
  readonly concurrency?: number;
  readonly seed?: number;
  readonly raceWindowMs?: number;
  readonly onProgress?: (progress: Progress) => void;
}

/** Prepares the lab's services in a fresh namespace, runs the scenario, and releases them. */
export const runLab = async (hub: ServiceHub, run: RunLabOptions): Promise<RunResult> => {
  const prepared = await hub.prepare(run.lab, { options: run.options ?? {} });
  try {
    return await runScenario({ ...run, context: prepared.context });
  } finally {
    await prepared.release();
  }
};
