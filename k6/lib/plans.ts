// Pure data, no k6 import: the k6 scripts read it, and so does a vitest test that pins these numbers
// to the scenarios' own builders (packages/harness/src/generator). `lab k6` hands k6 the plan built
// from the builder itself (LAB_PLAN); this copy is what a direct `k6 run` uses.

/** The k6 scenarios, by file name (k6/<name>.ts). */
export const K6_SCENARIOS = ['withdraw-storm', 'flash-sale', 'replicas', 'mixed'] as const;
export type K6ScenarioName = (typeof K6_SCENARIOS)[number];

/** The failure reasons the server reports in `{ "error": ... }` (FailReason in @concurrency-lab/model). */
export const FAIL_REASONS = [
  'insufficient_funds',
  'out_of_stock',
  'not_found',
  'invalid_amount',
  'limit_exceeded',
  'invalid_request',
  'conflict_retries_exhausted',
  'lock_unavailable',
  'quorum_unavailable',
  'deadlock',
  'stale_token',
] as const;
export type FailReason = (typeof FAIL_REASONS)[number];

export interface K6Plan {
  readonly scenario: K6ScenarioName;
  /** Virtual users, each with its own connection. */
  readonly vus: number;
  /** Operations in all. */
  readonly iterations: number;
  /** shared-iterations: VUs take operations from one pool; per-vu-iterations: each VU does its share. */
  readonly executor: 'shared-iterations' | 'per-vu-iterations';
  /** Replicas the scenario is meant for (lab k6's default for --replicas). */
  readonly replicas: number;
  /** The exact outcome a correct lab produces (fields left out are not checked). */
  readonly expected: {
    readonly ok?: number;
    readonly fail?: Readonly<Partial<Record<FailReason, number>>>;
  };
  /** Upper bound on the run, so that a stuck server cannot hold a CI run hostage. */
  readonly maxDuration: string;
  /**
   * The load-test suite's success criteria (successCriteriaFor in the harness, their one home):
   * k6 thresholds on the operations' rate, mean and p99; a miss is information, not a verdict.
   */
  readonly criteria: {
    readonly tier: 'basic' | 'stress';
    readonly minThroughputOpsPerSec: number;
    readonly maxMeanMs: number;
    readonly maxP99Ms: number;
  };
}

// The copy of the criteria a direct `k6 run` uses; a test pins it to successCriteriaFor.
const STRESS = { tier: 'stress', minThroughputOpsPerSec: 100, maxMeanMs: 200, maxP99Ms: 1000 } as const;
const BASIC = { tier: 'basic', minThroughputOpsPerSec: 100, maxMeanMs: 200, maxP99Ms: 500 } as const;

/** Each scenario at the size of the scenario catalog (docs: shared/scenarios.md). */
export const PLANS: Readonly<Record<K6ScenarioName, K6Plan>> = {
  // 10000 simultaneous withdrawals of 2 from 10000: exactly 5000 may succeed.
  'withdraw-storm': {
    scenario: 'withdraw-storm',
    vus: 1000,
    iterations: 10_000,
    executor: 'shared-iterations',
    replicas: 1,
    expected: { ok: 5000, fail: { insufficient_funds: 5000 } },
    maxDuration: '3m',
    criteria: STRESS,
  },
  // 300 buyers, one purchase each, for 100 in stock.
  'flash-sale': {
    scenario: 'flash-sale',
    vus: 300,
    iterations: 300,
    executor: 'per-vu-iterations',
    replicas: 1,
    expected: { ok: 100, fail: { out_of_stock: 200 } },
    maxDuration: '2m',
    criteria: STRESS,
  },
  // 40 orders over 3 replicas for 10 in stock.
  replicas: {
    scenario: 'replicas',
    vus: 40,
    iterations: 40,
    executor: 'per-vu-iterations',
    replicas: 3,
    expected: { ok: 10, fail: { out_of_stock: 30 } },
    maxDuration: '2m',
    criteria: STRESS,
  },
  // Random deposits, withdrawals and reads: only the invariants are checked.
  mixed: {
    scenario: 'mixed',
    vus: 50,
    iterations: 2000,
    executor: 'shared-iterations',
    replicas: 1,
    expected: {},
    maxDuration: '2m',
    criteria: BASIC,
  },
};

/**
 * The plan of `scenario`: the one `lab k6` passed in LAB_PLAN (JSON, from the scenario's builder), or
 * the copy above. A LAB_PLAN for another scenario is refused, which stops k6 before any request.
 */
export const planFor = (scenario: K6ScenarioName, given: string | undefined): K6Plan => {
  if (given === undefined || given.trim() === '') return PLANS[scenario];
  const plan = JSON.parse(given) as K6Plan;
  if (plan.scenario !== scenario) {
    throw new Error(`LAB_PLAN is a plan for ${String(plan.scenario)}, not for ${scenario}`);
  }
  return plan;
};
