import { readFileSync } from 'node:fs';
import { SCENARIOS, successCriteriaFor } from '@concurrency-lab/harness';
// The k6 scenario plans are plain data (no k6 import), so they can be checked here against the
// scenarios' own builders: a k6 run and an in-process run of the same scenario must mean the same
// thing. k6 loads its scripts alone (the compose file mounts k6/ by itself), so it keeps a copy.
import { FAIL_REASONS, K6_SCENARIOS, PLANS } from '@concurrency-lab/k6-scenarios/lib/plans.ts';
import { FAIL_REASON_TABLE, FAIL_REASONS as MODEL_FAIL_REASONS } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';

const k6File = (name: string) =>
  readFileSync(new URL(import.meta.resolve(`@concurrency-lab/k6-scenarios/${name}`)), 'utf8');

describe('the k6 scenario plans', () => {
  it('are exactly the scenarios whose builder declares a load over HTTP, each with a script of its own', () => {
    const withHttpLoad = Object.values(SCENARIOS)
      .filter((s) => s.httpLoad)
      .map((s) => s.name);
    expect([...K6_SCENARIOS].sort()).toEqual(withHttpLoad.sort());
    for (const name of K6_SCENARIOS) {
      expect(k6File(`${name}.ts`)).toContain(`runConfig('${name}')`);
    }
  });

  it('copy the load, the operations and the outcome of the scenario builders (for a direct k6 run)', () => {
    for (const name of K6_SCENARIOS) {
      const definition = SCENARIOS[name];
      const scenario = definition.full();
      const plan = PLANS[name];
      expect(plan.iterations, name).toBe(scenario.ops({ next: () => 0.5, int: (min) => min }).length);
      expect(plan.expected.ok, name).toBe(scenario.expected.ok);
      expect(plan.expected.fail ?? {}, name).toEqual(scenario.expected.fail ?? {});
      expect(plan.criteria, name).toEqual(successCriteriaFor(name));
      const load = definition.httpLoad;
      expect({
        vus: plan.vus,
        executor: plan.executor,
        replicas: plan.replicas,
        maxDuration: plan.maxDuration,
      }).toEqual({
        vus: load?.clients,
        executor: load?.executor,
        replicas: load?.replicas,
        maxDuration: load?.maxDuration,
      });
    }
  });

  it('keep the sizes of the experiments they come from', () => {
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
    const statuses = new Set(
      Object.values(FAIL_REASON_TABLE)
        .map((r) => r.status)
        .filter((s) => s !== 400),
    );
    expect([...statuses].sort()).toEqual([404, 409, 503]);
    expect(k6File('lib/lab-client.ts')).toContain('[404, 409, 503].includes(response.status)');
  });
});
