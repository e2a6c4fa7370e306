import {
  type FaultRequest,
  type FaultSchedule,
  faultNemeses,
  type Nemesis,
  type Progress,
  type RunResult,
  runScenario,
  type Scenario,
} from '@concurrency-lab/harness';
import { type Lab, type ResolvedLabOptions, resolveLabOptions } from '@concurrency-lab/model';
import { faultContextFor } from './faults/fault-context.ts';
import { freshNamespace } from './namespace.ts';
import { networkRoutesFor } from './network/network-routes.ts';
import type { ServiceHub } from './service-hub.ts';

export interface RunLabOptions {
  readonly lab: Lab;
  readonly scenario: Scenario;
  /** Resolved where the run was planned (resolveLabOptions); default: the lab's defaults. */
  readonly options?: ResolvedLabOptions;
  readonly concurrency?: number;
  readonly seed?: number;
  readonly raceWindowMs?: number;
  /** Faults injected into the run, besides the race window (see RunOptions.nemeses). */
  readonly nemeses?: readonly Nemesis[];
  readonly onProgress?: (progress: Progress) => void;
  /** Stops the run early; it still returns what it did, marked `interrupted` (see RunOptions.signal). */
  readonly signal?: AbortSignal;
  /** The run's namespace (its schema is schemaNameFor(namespace)); default: a fresh one. */
  readonly namespace?: string;
  /** Faults to inject (parseFaults), each a nemesis acting on what this run started. */
  readonly faults?: readonly FaultRequest[];
  /** When they start and stop (default: by the run's progress). */
  readonly faultSchedule?: FaultSchedule;
}

/**
 * Prepares the lab's services in a namespace of its own, runs the scenario, and releases them (the
 * run's schema and keys are removed), whether it ran to its end, was interrupted or failed.
 */
export const runLab = async (hub: ServiceHub, run: RunLabOptions): Promise<RunResult> => {
  const { namespace = freshNamespace(run.lab.name), faults = [], ...rest } = run;
  const options = run.options ?? resolveLabOptions(run.lab, {});
  const routes = await networkRoutesFor(hub, run.lab, faults, namespace);
  const prepared = await hub.prepare(run.lab, { options, namespace, urls: routes.urls });
  try {
    const faulty =
      faults.length === 0
        ? []
        : faultNemeses(faults, {
            ...(await faultContextFor(hub, run.lab, options, namespace)),
            proxies: routes.proxies,
          });
    const nemeses = [...(run.nemeses ?? []), ...faulty];
    return await runScenario({ ...rest, context: prepared.context, nemeses });
  } finally {
    await prepared.release();
  }
};
