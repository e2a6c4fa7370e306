import { type Lab, resolveLabOptions } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_START_SHARE,
  type FaultDefinition,
  FaultSpecError,
  type Nemesis,
  parseFaults,
  runScenario,
  withdrawStorm,
} from '../src/index.ts';
import { memoryLab } from './memory-lab.ts';

const context = {
  lab: 'memory',
  options: resolveLabOptions(memoryLab(), {}),
  services: {},
  namespace: 'test',
};

/** A nemesis that only counts its starts and stops (and may fail to start). */
const counting = (startError?: string) => {
  const calls: string[] = [];
  const nemesis: Nemesis = {
    name: 'counting',
    arg: '3',
    costsOperations: true,
    start: async () => {
      calls.push('start');
      if (startError) throw new Error(startError);
    },
    stop: async () => {
      calls.push('stop');
    },
  };
  return { calls, nemesis };
};

const storm = withdrawStorm({ balance: 100, count: 80 });

describe('scheduled faults', () => {
  it('start a fifth of the way in and stop before the end, each an ok nemesis op that no count or checker sees', async () => {
    const { calls, nemesis } = counting();
    const result = await runScenario({
      lab: memoryLab(),
      scenario: storm,
      context,
      concurrency: 1,
      nemeses: [nemesis],
    });
    expect(calls).toEqual(['start', 'stop']);
    const ops = result.history.filter((op) => op.request.kind === 'nemesis');
    expect(ops.map((op) => [op.request, op.outcome?.type])).toEqual([
      [{ kind: 'nemesis', phase: 'start', fault: 'counting', arg: '3' }, 'ok'],
      [{ kind: 'nemesis', phase: 'stop', fault: 'counting', arg: '3' }, 'ok'],
    ]);
    const [start] = ops;
    const doneBefore = result.history.filter(
      (op) => op.request.kind !== 'nemesis' && (op.completedAt ?? 0) <= (start?.invokedAt ?? 0),
    );
    expect(doneBefore.length).toBeGreaterThanOrEqual(80 * DEFAULT_START_SHARE);
    expect(result.counts.total).toBe(80);
    expect(result.verdict.violations).toEqual([]);
    expect(result.verdict.valid).toBe(true);
    expect(result.interrupted).toBe(false);
    expect(result.faults).toEqual([
      { name: 'counting', arg: '3', fromMs: start?.invokedAt, toMs: ops[1]?.completedAt },
    ]);
  });

  it('a start that fails is an info op with its error, and the stop still comes', async () => {
    const { calls, nemesis } = counting('no node to kill');
    const result = await runScenario({
      lab: memoryLab(),
      scenario: storm,
      context,
      concurrency: 4,
      nemeses: [nemesis],
      faultSchedule: { forMs: 1 },
    });
    expect(calls).toEqual(['start', 'stop']);
    expect(result.faults?.[0]?.error).toBe('no node to kill');
    expect(result.history.find((op) => op.request.kind === 'nemesis')?.outcome).toEqual({
      type: 'info',
      error: 'no node to kill',
    });
  });

  it('a fault scheduled after the run has ended never starts and records nothing', async () => {
    const { calls, nemesis } = counting();
    const result = await runScenario({
      lab: memoryLab(),
      scenario: storm,
      context,
      nemeses: [nemesis],
      faultSchedule: { atMs: 3_600_000 },
    });
    expect(calls).toEqual([]);
    expect(result.faults).toEqual([]);
    expect(result.history).toHaveLength(80);
  });
});

describe('parseFaults', () => {
  const lab = memoryLab() as Lab;
  const options = resolveLabOptions(lab, {});
  const fault: FaultDefinition = {
    name: 'drop',
    argument: {
      placeholder: '<k>',
      optional: false,
      accepted: 'an integer from 1 to 3',
      check: (text) => (['1', '2', '3'].includes(text) ? undefined : 'not from 1 to 3'),
    },
    description: 'drops things',
    notApplicable: (l) => (l.name === 'memory' ? undefined : 'no things'),
    nemesis: () => ({ name: 'drop' }),
  };
  const other: FaultDefinition = {
    ...fault,
    name: 'never',
    argument: undefined,
    notApplicable: () => 'not here',
  };
  const problem = (given: string) => {
    try {
      parseFaults([given], [fault, other], lab, options);
    } catch (error) {
      if (error instanceof FaultSpecError) return [error.problem, error.message];
    }
    return undefined;
  };

  it('accepts a known fault with an accepted argument, repeatable', () => {
    const parsed = parseFaults(['drop:2', 'drop:3'], [fault], lab, options);
    expect(parsed.map((p) => [p.definition.name, p.arg])).toEqual([
      ['drop', '2'],
      ['drop', '3'],
    ]);
  });

  it('names what is accepted for an unknown fault, a bad or missing argument, and one that does not apply', () => {
    expect(problem('nope')).toEqual(['unknown', 'unknown fault "nope"; valid faults: drop:<k>, never']);
    expect(problem('drop:9')).toEqual([
      'argument',
      'fault drop: "9" is not accepted (not from 1 to 3); drop:<k>, <k> an integer from 1 to 3',
    ]);
    expect(problem('drop')?.[0]).toBe('argument');
    expect(problem('never:1')?.[1]).toContain('fault never takes no argument');
    expect(problem('never')).toEqual([
      'not-applicable',
      'fault never does not apply to lab memory: not here; faults for memory: drop:<k>',
    ]);
  });
});
