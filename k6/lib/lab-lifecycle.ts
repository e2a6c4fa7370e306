import http from 'k6/http';
import type { Options } from 'k6/options';
import { loadDuration, metricNames, violations } from './outcome-metrics.ts';
import { FAIL_REASONS, type K6Plan } from './plans.ts';
import type { RunConfig } from './run-config.ts';

/** What setup() hands to every VU and to teardown(). */
export interface RunData {
  /** Epoch ms when setup() finished: the load phase starts here. */
  readonly startedAt: number;
  /** The account and the item the scenario's initial state holds (from the reset's answer). */
  readonly accountId: number | undefined;
  readonly sku: string | undefined;
}

/** A violation as GET /labs/:lab/check reports it. */
export interface Violation {
  readonly kind: string;
  readonly count: number;
  readonly example: string;
}

/** The parts of GET /labs/:lab/check's answer that the scripts read. */
export interface CheckAnswer {
  readonly valid: boolean | 'unknown';
  readonly violations: readonly Violation[];
  readonly coverage?: { readonly ledgerRows?: number };
  readonly contention?: { readonly conflicts: number; readonly retries: number; readonly lockWaitMs: number };
  readonly [field: string]: unknown;
}

/**
 * The plan's success criteria as k6 thresholds, safe lab or not: the operations' rate, mean and p99.
 * The summary keeps them apart from the safety thresholds (criteriaMet), since a miss is information.
 */
export const criteriaThresholds = ({ criteria }: K6Plan): Record<string, string[]> => ({
  [metricNames.operations]: [`rate>=${criteria.minThroughputOpsPerSec}`],
  [metricNames.opDuration]: [`avg<${criteria.maxMeanMs}`, `p(99)<${criteria.maxP99Ms}`],
});

/**
 * The k6 options of a plan: its executor at its size, bounded in time, with p99 in the summary.
 * When the lab is expected safe, thresholds make the run fail on any violation, any unexpected
 * status, and any departure from the exact outcome; an unsafe lab gets none (it is expected to
 * break, and the summary says whether it did).
 */
export const optionsFor = (plan: K6Plan, config: RunConfig): Options => {
  const thresholds: Record<string, string[]> = { ...criteriaThresholds(plan) };
  if (config.expect === 'safe') {
    thresholds[metricNames.violations] = ['count==0'];
    thresholds[metricNames.unexpectedStatus] = ['count==0'];
    if (config.exactCounts && plan.expected.ok !== undefined)
      thresholds[metricNames.ok] = [`count==${plan.expected.ok}`];
    for (const reason of FAIL_REASONS) {
      const want = plan.expected.fail?.[reason];
      if (config.exactCounts && want !== undefined) thresholds[metricNames.fail(reason)] = [`count==${want}`];
    }
  }
  const perVu = plan.executor === 'per-vu-iterations';
  return {
    scenarios: {
      [plan.scenario]: {
        executor: plan.executor,
        vus: plan.vus,
        iterations: perVu ? Math.ceil(plan.iterations / plan.vus) : plan.iterations,
        maxDuration: plan.maxDuration,
      },
    },
    thresholds,
    summaryTrendStats: ['avg', 'min', 'med', 'p(95)', 'p(99)', 'max'],
    // Resets and the final check are not part of the load; bound them anyway.
    setupTimeout: '60s',
    teardownTimeout: '60s',
  };
};

const adminHeaders = (config: RunConfig) => ({
  'Content-Type': 'application/json',
  Authorization: `Bearer ${config.adminToken}`,
});

/**
 * Resets the lab's state to the scenario's initial state through every replica (each also clears
 * the history it keeps for /check), and returns the targets. Throws, which aborts the run, when a
 * replica refuses: without a reset the checks would judge someone else's state.
 */
export const resetEveryReplica = (config: RunConfig): RunData => {
  if (!config.adminToken) {
    throw new Error(
      'LAB_ADMIN_TOKEN is not set: setup() resets the state through POST /admin/reset, which needs it',
    );
  }
  let initial: { accounts?: Array<{ id: number }>; items?: Array<{ sku: string }> } = {};
  for (const url of config.urls) {
    const response = http.post(
      `${url}/admin/reset`,
      JSON.stringify({ scenario: config.scenario, lab: config.lab }),
      {
        headers: adminHeaders(config),
        tags: { name: 'admin-reset' },
      },
    );
    if (response.status !== 200) {
      throw new Error(
        `POST ${url}/admin/reset answered ${response.status}: ${String(response.body).slice(0, 300)}`,
      );
    }
    initial = (response.json() as { initialState: typeof initial }).initialState;
  }
  return { startedAt: Date.now(), accountId: initial.accounts?.[0]?.id, sku: initial.items?.[0]?.sku };
};

/** GET /labs/:lab/check on one replica; undefined (and a log line) when it does not answer 200. */
export const fetchCheck = (config: RunConfig, url: string): CheckAnswer | undefined => {
  const query = `scenario=${config.scenario}&history=${config.checkHistory}`;
  const response = http.get(`${url}/labs/${config.lab}/check?${query}`, {
    tags: { name: 'check' },
    timeout: '60s',
  });
  if (response.status !== 200) {
    console.error(
      `GET ${url}/labs/${config.lab}/check answered ${response.status}: ${String(response.body).slice(0, 300)}`,
    );
    return undefined;
  }
  return response.json() as unknown as CheckAnswer;
};

/**
 * Ends the load phase: records its duration, then asks the first replica to check the lab's state
 * and ledger, and adds every violation it reports to `lab_violations` (tagged by kind), which the
 * thresholds of a safe lab require to stay at zero. A check that cannot run counts as a violation.
 */
export const checkAfterLoad = (config: RunConfig, data: RunData): void => {
  loadDuration.add(Date.now() - data.startedAt);
  const check = fetchCheck(config, config.urls[0] as string);
  if (!check) {
    violations.add(1, { kind: 'check-unavailable' });
    return;
  }
  for (const violation of check.violations) {
    violations.add(violation.count, { kind: violation.kind });
    console.warn(`violation ${violation.kind} ×${violation.count}: ${violation.example}`);
  }
};
