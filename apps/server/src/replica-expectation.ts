import {
  type Expectation,
  expectationsFor,
  type Lab,
  type LabOptionValue,
  type ScenarioName,
} from '@concurrency-lab/model';

/**
 * The verdict `lab` should reach on `scenario` when served over HTTP by `replicas` processes that
 * share one store: its declared expectation, except that a lab whose protection is process-local
 * (`Lab.processLocal`, the in-process mutex) is unsafe with more than one replica. Undefined when the lab does not support the scenario.
 */
export const expectationWithReplicas = (
  lab: Lab,
  scenario: ScenarioName,
  replicas: number,
  options: Readonly<Record<string, LabOptionValue>> = {},
): Expectation | undefined => {
  const declared = expectationsFor(lab, options)[scenario];
  if (!declared) return undefined;
  return replicas > 1 && lab.processLocal ? 'unsafe' : declared;
};
