import { describe, expect, it } from 'vitest';
import {
  type ExpectationRule,
  everyScenario,
  expectationFor,
  expectationRuleFor,
  type Lab,
  ruleText,
} from '../src/index.ts';

const SHORT_LEASE: ExpectationRule = {
  when: [
    { quantity: { option: 'lock-ttl' }, atMostHalfOf: { knob: 'race-window-ms' } },
    { option: 'fencing', is: 'off' },
  ],
  expect: 'unsafe',
  why: 'the lease runs out',
};
const PAUSE: ExpectationRule = {
  when: [{ fault: 'pause-holder' }, { option: 'fencing', is: 'off' }],
  expect: 'unsafe',
  why: 'a stall',
};
const LATENCY: ExpectationRule = {
  when: [{ quantity: { option: 'lock-ttl' }, atMost: { faultMs: 'latency', target: 'postgres' } }],
  expect: 'unsafe',
  why: 'a slow network',
};

const lab = (over: Partial<Lab> = {}): Lab => ({
  name: 'lease',
  title: 'a lease',
  summary: 'a lease',
  needs: [],
  expect: everyScenario('safe'),
  options: {
    'lock-ttl': { kind: 'integer', description: 'ttl', min: 1, max: 100_000, default: 10_000 },
    fencing: { kind: 'switch', description: 'fence', default: 'off' },
  },
  expectRules: [SHORT_LEASE, PAUSE, LATENCY],
  store: () => {
    throw new Error('not used');
  },
  open: () => {
    throw new Error('not used');
  },
  ...over,
});

describe('expectations that follow options, knobs and faults', () => {
  it('a lease at most half the race window is unsafe; longer, or fenced, it is what the lab declares', () => {
    const at = (ttl: number, window: number, fencing = 'off') =>
      expectationFor(lab(), 'flash-sale', { options: { 'lock-ttl': ttl, fencing }, raceWindowMs: window });
    expect(at(5, 25)).toBe('unsafe');
    expect(at(12, 25)).toBe('unsafe');
    expect(at(13, 25)).toBe('safe');
    expect(at(5, 25, 'on')).toBe('safe');
    expect(at(5, 0)).toBe('safe');
    // Unset options take the lab's defaults: 10 s is no short lease.
    expect(expectationFor(lab(), 'flash-sale', { raceWindowMs: 25 })).toBe('safe');
  });

  it('a fault decides by its name, and a latency fault by the ms it adds to its target', () => {
    expect(expectationFor(lab(), 'withdraw-storm', { faults: [{ name: 'pause-holder' }] })).toBe('unsafe');
    expect(
      expectationFor(lab(), 'withdraw-storm', {
        options: { fencing: 'on' },
        faults: [{ name: 'pause-holder' }],
      }),
    ).toBe('safe');
    const latency = (arg: string) =>
      expectationFor(lab(), 'withdraw-storm', {
        options: { 'lock-ttl': 50 },
        faults: [{ name: 'latency', arg }],
      });
    expect(latency('postgres:80')).toBe('unsafe');
    expect(latency('postgres:20')).toBe('safe');
    expect(latency('redis:80')).toBe('safe');
  });

  it('an in-process lab is unsafe across replicas, through the same rule function', () => {
    const mutex = lab({ processLocal: true, expectRules: [] });
    expect(expectationFor(mutex, 'replicas')).toBe('safe');
    expect(expectationFor(mutex, 'replicas', { replicas: 3 })).toBe('unsafe');
    expect(expectationRuleFor(mutex, 'replicas', { replicas: 3 })?.why).toMatch(/mutex of its own/);
  });

  it('never invents an expectation for a scenario the lab does not support', () => {
    expect(
      expectationFor(lab({ expect: { 'flash-sale': 'safe' } }), 'transfer', {
        faults: [{ name: 'pause-holder' }],
      }),
    ).toBeUndefined();
  });

  it('prints each rule as lab list shows it', () => {
    expect(ruleText(SHORT_LEASE)).toBe(
      'unsafe when --lock-ttl ≤ half of --race-window-ms and without --fencing: the lease runs out',
    );
    expect(ruleText(LATENCY)).toBe(
      'unsafe when --lock-ttl ≤ the ms of --fault latency:postgres:<ms>: a slow network',
    );
  });
});
