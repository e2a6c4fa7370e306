import { describeLabConformance } from '@concurrency-lab/conformance';
import { SCENARIO_NAMES } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import { LABS } from '../src/index.ts';

// One suite for every lab, as kysely runs one suite for every dialect: each lab's declared
// expectation per scenario is the claim, and the suite holds every lab to it.
// A scenario a lab cannot run is declared, with why, never left out silently.
describe('every lab declares an expectation, or a reason it cannot run it, for every scenario', () => {
  it.each(LABS.map((lab) => [lab.name, lab] as const))('%s', (_name, lab) => {
    const unsupported = Object.entries(lab.unsupported ?? {});
    expect([...Object.keys(lab.expect), ...unsupported.map(([name]) => name)].sort()).toEqual(
      [...SCENARIO_NAMES].sort(),
    );
    for (const [name, reason] of unsupported) {
      expect(lab.expect[name as keyof typeof lab.expect], name).toBeUndefined();
      expect(reason?.trim(), name).not.toBe('');
    }
  });
});

for (const lab of LABS) describeLabConformance(lab);
