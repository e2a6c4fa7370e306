import {
  type Expectation,
  expectationsFor,
  type Lab,
  type LabOptionValue,
  type ScenarioName,
} from '@concurrency-lab/model';

/**
 * Labs whose only protection is a lock in one process's memory. Each replica has its own, so
 * across replicas nothing protects the shared row: safe in one process, unsafe behind a load
 * balancer. (The Lab contract has no field for this yet; this set is the one place that says it.)
 */
export const PROCESS_LOCAL_LABS: ReadonlySet<string> = new Set(['mutex']);

/**
 * The verdict `lab` should reach on `scenario` when served over HTTP by `replicas` processes that
 * share one store: its declared expectation, except that a process-local lock is unsafe with more
 * than one replica. Undefined when the lab does not support the scenario.
 */
export const expectationWithReplicas = (
  lab: Lab,
  scenario: ScenarioName,
  replicas: number,
  options: Readonly<Record<string, LabOptionValue>> = {},
): Expectation | undefined => {
  const declared = expectationsFor(lab, options)[scenario];
  if (!declared) return undefined;
  return replicas > 1 && PROCESS_LOCAL_LABS.has(lab.name) ? 'unsafe' : declared;
};
