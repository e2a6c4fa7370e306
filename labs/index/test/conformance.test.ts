import { describeLabConformance } from '@concurrency-lab/conformance';
import { SCENARIO_NAMES } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import { LABS } from '../src/index.ts';

// One suite for every lab, as kysely runs one suite for every dialect: each lab's declared
// expectation per scenario is the claim, and the suite holds every lab to it.
describe('every lab declares an expectation for every scenario', () => {
  it.each(LABS.map((lab) => [lab.name, lab] as const))('%s', (_name, lab) => {
    expect(Object.keys(lab.expect).sort()).toEqual([...SCENARIO_NAMES].sort());
  });
});

for (const lab of LABS) describeLabConformance(lab);
