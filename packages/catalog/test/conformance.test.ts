import {
  flashSale,
  mixedScenario,
  type RunResult,
  reserveScenario,
  type Scenario,
  scenarioNamed,
  withdrawStorm,
} from '@concurrency-lab/harness';
import {
  type Expectation,
  expectationsFor,
  type Lab,
  type LabOptionValue,
  SCENARIO_NAMES,
  type ScenarioName,
} from '@concurrency-lab/model';
import { afterAll, describe, expect, it } from 'vitest';
import { LABS, runLab, ServiceHub } from '../src/index.ts';

// One suite for every lab, as kysely runs one suite for every dialect: each lab's declared
// expectation per scenario is the claim, and this suite holds every lab to it.

/** Each lab once with its defaults, plus once per choice of an option that changes expectations. */
const variantsOf = (lab: Lab): Array<Record<string, LabOptionValue>> => {
  const variants: Array<Record<string, LabOptionValue>> = [{}];
  for (const [name, spec] of Object.entries(lab.options ?? {})) {
    if (spec.kind !== 'choice' || !spec.expect) continue;
    for (const choice of spec.choices) if (choice !== spec.default) variants.push({ [name]: choice });
  }
  return variants;
};

/**
 * The scenario at a size that keeps the suite near its time budget while the claim still holds.
 * A safe lab gets the full withdraw-storm (10000 withdrawals at concurrency 100); an unsafe one a
 * smaller storm, because one lost update is enough and the race window makes it certain.
 */
const sized = (name: ScenarioName, expectation: Expectation): Scenario => {
  switch (name) {
    case 'withdraw-storm':
      return expectation === 'safe'
        ? withdrawStorm()
        : withdrawStorm({ balance: 1000, count: 1000, concurrency: 50 });
    case 'mixed':
      return mixedScenario({ count: 400, concurrency: 40 });
    case 'reserve':
      return reserveScenario({ attempts: 200, available: 10, concurrency: 50 });
    case 'flash-sale':
      return flashSale();
    default:
      return scenarioNamed(name);
  }
};

// Unsafe claims are shown with the race widened, so they fail in every run rather than by luck;
// safe claims must hold even so, except for the full-size storm, which runs as fast as it can.
const raceWindowFor = (name: ScenarioName, expectation: Expectation) =>
  expectation === 'unsafe' ? 5 : name === 'withdraw-storm' ? 0 : 1;

const hub = new ServiceHub();
afterAll(() => hub.close());

const describeRun = (r: RunResult) =>
  `${r.lab} ${JSON.stringify(r.options)} on ${r.scenario}: valid=${r.verdict.valid} counts=${JSON.stringify(r.counts)} ` +
  `violations=${JSON.stringify(r.verdict.violations.map((v) => `${v.kind}×${v.count}: ${v.example}`))}`;

describe('every lab declares an expectation for every scenario', () => {
  it.each(LABS.map((lab) => [lab.name, lab] as const))('%s', (_name, lab) => {
    expect(Object.keys(lab.expect).sort()).toEqual([...SCENARIO_NAMES].sort());
  });
});

for (const lab of LABS) {
  for (const options of variantsOf(lab)) {
    const label = [lab.name, ...Object.entries(options).map(([k, v]) => `--${k} ${v}`)].join(' ');
    describe(label, () => {
      const table = expectationsFor(lab, options);
      for (const name of SCENARIO_NAMES) {
        const expectation = table[name];
        if (!expectation) continue;
        it(`is ${expectation} on ${name}`, async () => {
          const scenario = sized(name, expectation);
          const result = await runLab(hub, {
            lab,
            scenario,
            options,
            raceWindowMs: raceWindowFor(name, expectation),
          });
          if (expectation === 'unsafe') {
            expect(result.verdict.valid, describeRun(result)).toBe(false);
            expect(result.verdict.violations.length, describeRun(result)).toBeGreaterThan(0);
          } else {
            expect(result.verdict, describeRun(result)).toEqual({ valid: true, violations: [] });
            // The exact outcome, spelled out: e.g. 5000 ok and 5000 insufficient_funds.
            const { ok, fail } = scenario.expected;
            if (ok !== undefined) expect(result.counts.ok).toBe(ok);
            for (const [reason, count] of Object.entries(fail ?? {})) {
              expect(result.counts.fail[reason as keyof typeof result.counts.fail] ?? 0).toBe(count);
            }
            expect(result.counts.info).toBe(0);
          }
          expect(result.matchesExpectation).toBe(true);
        });
      }
    });
  }
}
