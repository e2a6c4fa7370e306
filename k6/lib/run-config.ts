import type { K6_ENV } from './env-vars.ts';
import { K6_SCENARIOS, type K6ScenarioName } from './plans.ts';

export interface RunConfig {
  readonly scenario: K6ScenarioName;
  readonly urls: readonly string[];
  readonly lab: string;
  readonly expect: 'safe' | 'unsafe';
  readonly adminToken: string;
  readonly resultsDir: string;
  readonly exactCounts: boolean;
  readonly checkHistory: 'local' | 'ledger';
  /** LAB_PLAN: the plan `lab k6` built from the scenario's builder, as JSON (see planFor). */
  readonly plan: string | undefined;
}

const env = (name: keyof typeof K6_ENV): string | undefined => {
  const value = __ENV[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};

/**
 * Reads and checks the run's settings; throws (which stops k6 before any request) when one is
 * not accepted, naming the variable. Only loopback targets are accepted unless LAB_ALLOW_REMOTE=1:
 * a storm of ten thousand requests must not be pointed at someone else's server by a typo.
 */
export const runConfig = (scenario: K6ScenarioName): RunConfig => {
  if (!K6_SCENARIOS.includes(scenario)) throw new Error(`unknown scenario ${scenario}`);
  const urls = (env('LAB_URLS') ?? 'http://127.0.0.1:8080')
    .split(',')
    .map((url) => url.trim().replace(/\/+$/, ''));
  for (const url of urls) {
    const match = /^https?:\/\/([^/:]+|\[[^\]]+\])(:\d+)?$/.exec(url);
    if (!match)
      throw new Error(`LAB_URLS: ${JSON.stringify(url)} is not a base URL like http://127.0.0.1:8080`);
    const host = match[1] ?? '';
    const loopback = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/.test(host);
    if (!loopback && env('LAB_ALLOW_REMOTE') !== '1') {
      throw new Error(
        `LAB_URLS: ${url} is not a loopback address; set LAB_ALLOW_REMOTE=1 to drive a server elsewhere (a cluster you run)`,
      );
    }
  }
  const expect = env('LAB_EXPECT') ?? 'safe';
  if (expect !== 'safe' && expect !== 'unsafe')
    throw new Error(`LAB_EXPECT must be safe or unsafe; got ${expect}`);
  const lab = env('LAB_LAB') ?? 'update-returning';
  if (!/^[a-z][a-z0-9-]*$/.test(lab))
    throw new Error(`LAB_LAB must be a lab name like update-returning; got ${lab}`);
  const exactCounts = env('LAB_EXACT_COUNTS') ?? '1';
  if (exactCounts !== '0' && exactCounts !== '1')
    throw new Error(`LAB_EXACT_COUNTS must be 0 or 1; got ${exactCounts}`);
  const checkHistory = env('LAB_CHECK_HISTORY') ?? 'local';
  if (checkHistory !== 'local' && checkHistory !== 'ledger') {
    throw new Error(`LAB_CHECK_HISTORY must be local or ledger; got ${checkHistory}`);
  }
  return {
    scenario,
    urls,
    lab,
    expect,
    adminToken: env('LAB_ADMIN_TOKEN') ?? '',
    resultsDir: (env('LAB_RESULTS_DIR') ?? 'results/k6').replace(/\/+$/, ''),
    exactCounts: exactCounts === '1',
    checkHistory,
    plan: env('LAB_PLAN'),
  };
};
