import { readFileSync } from 'node:fs';
import { scenarioNamed } from '@concurrency-lab/harness';
import { FAIL_REASONS as MODEL_FAIL_REASONS, SCENARIO_NAMES } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
// The k6 scenario plans are plain data (no k6 import), so they can be checked here against the
// harness's catalog: a k6 run and an in-process run of the same scenario must mean the same thing.
import { FAIL_REASONS, K6_SCENARIOS, PLANS } from '../../../k6/lib/plans.ts';
import { FAIL_STATUS } from '../src/outcome-response.ts';

const k6File = (name: string) => readFileSync(new URL(`../../../k6/${name}`, import.meta.url), 'utf8');

describe('the k6 scenario plans', () => {
  it('name scenarios of the catalog, each with a script of its own', () => {
    for (const name of K6_SCENARIOS) {
      expect(SCENARIO_NAMES).toContain(name);
      expect(k6File(`${name}.ts`)).toContain(`PLANS${name.includes('-') ? `['${name}']` : `.${name}`}`);
    }
  });

  it('run as many operations as the catalog’s scenarios and expect the same outcome', () => {
    for (const name of K6_SCENARIOS) {
      const scenario = scenarioNamed(name);
      const plan = PLANS[name];
      expect(plan.iterations, name).toBe(scenario.ops({ next: () => 0.5, int: (min) => min }).length);
      expect(plan.expected.ok, name).toBe(scenario.expected.ok);
      expect(plan.expected.fail ?? {}, name).toEqual(scenario.expected.fail ?? {});
    }
  });

  it('keep the sizes the issue asks for', () => {
    expect(PLANS['withdraw-storm']).toMatchObject({
      vus: 1000,
      iterations: 10_000,
      executor: 'shared-iterations',
    });
    expect(PLANS['flash-sale']).toMatchObject({ vus: 300, iterations: 300, executor: 'per-vu-iterations' });
    expect(PLANS.replicas).toMatchObject({ vus: 40, iterations: 40, replicas: 3 });
  });

  it('know every failure reason the server can answer with', () => {
    expect([...FAIL_REASONS].sort()).toEqual([...MODEL_FAIL_REASONS].sort());
    // The client counts a reason only under the statuses the server maps reasons to.
    const statuses = new Set(Object.values(FAIL_STATUS).filter((s) => s !== 400));
    expect([...statuses].sort()).toEqual([404, 409, 503]);
    expect(k6File('lib/lab-client.ts')).toContain('[404, 409, 503].includes(response.status)');
  });
});
