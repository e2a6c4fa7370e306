import type { ScenarioName } from '@concurrency-lab/model';

/**
 * The pass marks of the load-test suite the flash-sale numbers come from: enough throughput, a
 * short mean, and a p99 that is looser for the stress scenarios. A miss is information about the
 * machine and the strategy, never a failure of the run: safety is the verdict's business.
 */
export interface SuccessCriteria {
  /** `stress`: a scenario built to pile clients onto one row or item; `basic`: the rest. */
  readonly tier: 'basic' | 'stress';
  readonly minThroughputOpsPerSec: number;
  readonly maxMeanMs: number;
  readonly maxP99Ms: number;
}

/** The scenarios that hammer one subject at once (a storm, a sale, orders across replicas): p99 < 1000 ms. */
export const STRESS_SCENARIOS: readonly ScenarioName[] = ['withdraw-storm', 'flash-sale', 'replicas'];

/** The criteria of one scenario: the one home of these numbers (k6 receives them in its plan). */
export const successCriteriaFor = (scenario: ScenarioName): SuccessCriteria => {
  const stress = STRESS_SCENARIOS.includes(scenario);
  return {
    tier: stress ? 'stress' : 'basic',
    minThroughputOpsPerSec: 100,
    maxMeanMs: 200,
    maxP99Ms: stress ? 1000 : 500,
  };
};

/** One criterion as measured: the value, the mark, and which side of it the run landed. */
export interface CriterionCheck {
  readonly measure: 'throughput' | 'mean' | 'p99';
  readonly actual: number;
  readonly limit: number;
  readonly passed: boolean;
}

export interface CriteriaVerdict {
  readonly tier: SuccessCriteria['tier'];
  readonly checks: readonly CriterionCheck[];
  /** Every criterion met. */
  readonly passed: boolean;
}

/** Holds a run's throughput, mean and p99 latency to the criteria. */
export const judgeCriteria = (
  criteria: SuccessCriteria,
  run: {
    readonly throughputOpsPerSec: number;
    readonly latencyMs: { readonly mean: number; readonly p99: number };
  },
): CriteriaVerdict => {
  const checks: CriterionCheck[] = [
    {
      measure: 'throughput',
      actual: run.throughputOpsPerSec,
      limit: criteria.minThroughputOpsPerSec,
      passed: run.throughputOpsPerSec >= criteria.minThroughputOpsPerSec,
    },
    {
      measure: 'mean',
      actual: run.latencyMs.mean,
      limit: criteria.maxMeanMs,
      passed: run.latencyMs.mean < criteria.maxMeanMs,
    },
    {
      measure: 'p99',
      actual: run.latencyMs.p99,
      limit: criteria.maxP99Ms,
      passed: run.latencyMs.p99 < criteria.maxP99Ms,
    },
  ];
  return { tier: criteria.tier, checks, passed: checks.every((c) => c.passed) };
};
