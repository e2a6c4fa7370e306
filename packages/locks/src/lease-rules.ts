import type { ExpectationRule, LabOptionSpec, LabOptionValue, RuleTerm } from '@concurrency-lab/model';

/** The `--fencing` switch of a lab whose lock is a lease (redis-lock, redlock). */
export const fencingOptionSpecs = (): Readonly<Record<string, LabOptionSpec>> => ({
  fencing: {
    kind: 'switch',
    description:
      'give every grant a fencing token from a Postgres sequence; the row accepts only a token newer than the last it saw (else stale_token)',
    default: 'off',
  },
});

/** Whether resolved options (see fencingOptionSpecs) turned fencing on. */
export const fencingFrom = (options: Readonly<Record<string, LabOptionValue>>): boolean =>
  options.fencing === 'on';

/** The rule term "without --fencing", for every rule that fencing tokens defuse. */
export const UNFENCED: RuleTerm = { option: 'fencing', is: 'off' };

/**
 * When a lease-based lock stops excluding: its lease runs out while the holder is still inside its
 * critical section, so a second client is granted the same lock and both read before either
 * writes. Fencing (the row refuses an older token) makes each of these safe again. Half: the lease
 * must leave most of the section open for the overlap to happen in every run, not by luck.
 */
export const LEASE_RULES: readonly ExpectationRule[] = [
  {
    when: [{ quantity: { option: 'lock-ttl' }, atMostHalfOf: { knob: 'race-window-ms' } }, UNFENCED],
    expect: 'unsafe',
    why: 'the lease runs out halfway through every critical section, so other clients take the lock and read the same row before the holder writes',
    shownBy: {
      scenario: 'withdraw-storm',
      ops: 200,
      concurrency: 20,
      options: { 'lock-ttl': 5 },
      raceWindowMs: 25,
      fixedBy: { fencing: 'on' },
    },
  },
  {
    when: [{ fault: 'pause-holder' }, UNFENCED],
    expect: 'unsafe',
    why: 'a holder stalls past its lease (a GC pause), another takes the lock, and the stalled one then writes what it read before',
    shownBy: {
      scenario: 'withdraw-storm',
      ops: 200,
      concurrency: 8,
      options: { 'lock-ttl': 1000 },
      faults: ['pause-holder'],
      fixedBy: { fencing: 'on' },
    },
  },
  {
    when: [
      { quantity: { option: 'lock-ttl' }, atMost: { faultMs: 'latency', target: 'postgres' } },
      UNFENCED,
    ],
    expect: 'unsafe',
    why: 'each statement waits longer in the network than the lease lasts, so the lock expires while the write is on its way (Kleppmann)',
    shownBy: {
      scenario: 'withdraw-storm',
      ops: 40,
      concurrency: 10,
      options: { 'lock-ttl': 50 },
      faults: ['latency:postgres:100'],
      fixedBy: { fencing: 'on' },
    },
  },
];
