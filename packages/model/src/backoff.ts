import { setTimeout as sleep } from 'node:timers/promises';
import type { LabOptionSpec, LabOptionValue } from './lab.ts';

/** How a strategy that retries spaces its attempts out. */
export interface BackoffOptions {
  /** Upper bound of the delay before the first retry, in ms (>= 0); it doubles for every retry after. */
  readonly baseMs: number;
  /** No delay is ever longer than this, in ms (>= 0). */
  readonly capMs: number;
  /** Attempts in all, the first one included (>= 1): `maxAttempts - 1` retries at most. */
  readonly maxAttempts: number;
}

/** A source of uniform numbers in [0, 1), like Math.random; tests inject a seeded one. */
export type RandomSource = () => number;

/** The delay ceiling before retry number `retry` (1 = the first retry): min(cap, base · 2^(retry-1)). */
export const backoffCeilingMs = (retry: number, { baseMs, capMs }: BackoffOptions): number =>
  // The exponent stops at 40 (2^40 ms is decades, past any cap): beyond 1023 it would be
  // Infinity, and 0 · Infinity is NaN when the base is 0.
  Math.max(0, Math.min(capMs, baseMs * 2 ** Math.min(40, Math.max(0, retry - 1))));

/**
 * The delay before retry number `retry`, with "full jitter": uniform in [0, ceiling). The jitter
 * is what breaks up a conflict storm: clients that collided once do not all come back together.
 */
export const backoffDelayMs = (
  retry: number,
  options: BackoffOptions,
  random: RandomSource = Math.random,
): number => {
  const ceiling = backoffCeilingMs(retry, options);
  // Clamped in case an injected source strays outside [0, 1): never above the cap, never negative.
  const fraction = random();
  return Number.isFinite(fraction) ? Math.min(ceiling, Math.max(0, fraction * ceiling)) : 0;
};

/** Returned by an attempt that wants another try (a conflict, a lock held by someone else). */
export const RETRY: unique symbol = Symbol('retry');

export interface RetryHooks {
  /** Called before every retry with its number (1 = the first retry) and the delay about to be slept. */
  readonly onRetry?: (retry: number, delayMs: number) => void;
  readonly random?: RandomSource;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Calls `attempt` until it returns something other than RETRY, at most `options.maxAttempts`
 * times, sleeping a capped, fully jittered exponential delay between tries. Resolves to what the
 * last attempt returned, or to `exhausted()` when every allowed attempt asked for another.
 * An exception from `attempt` is not retried: it propagates at once.
 */
export const retryWithBackoff = async <R, E>(
  options: BackoffOptions,
  attempt: (attemptNumber: number) => Promise<R | typeof RETRY>,
  exhausted: () => E,
  { onRetry, random = Math.random, sleep: wait = (ms) => sleep(ms) }: RetryHooks = {},
): Promise<R | E> => {
  // A NaN or zero here would silently answer `exhausted()` without a single attempt.
  if (!Number.isSafeInteger(options.maxAttempts) || options.maxAttempts < 1) {
    throw new RangeError(`maxAttempts must be a whole number from 1, got ${options.maxAttempts}`);
  }
  const attempts = options.maxAttempts;
  for (let n = 1; n <= attempts; n++) {
    if (n > 1) {
      const delay = backoffDelayMs(n - 1, options, random);
      onRetry?.(n - 1, delay);
      if (delay > 0) await wait(delay);
    }
    const result = await attempt(n);
    if (result !== RETRY) return result;
  }
  return exhausted();
};

/**
 * The Lab options `backoff-base-ms` and `backoff-cap-ms`, shared by every lab that waits between
 * tries (conflict retries, lock acquisition), so that the flags mean the same thing everywhere.
 */
export const backoffOptionSpecs = (
  defaults: Pick<BackoffOptions, 'baseMs' | 'capMs'>,
): Readonly<Record<string, LabOptionSpec>> => ({
  'backoff-base-ms': {
    kind: 'integer',
    description: 'upper bound of the jittered delay before the first retry, doubled for each retry after',
    min: 0,
    max: 60_000,
    default: defaults.baseMs,
  },
  'backoff-cap-ms': {
    kind: 'integer',
    description: 'longest delay between two attempts',
    min: 0,
    max: 60_000,
    default: defaults.capMs,
  },
});

/** Defaults of the shared retry options; each lab picks its own (what suits its conflict rate). */
export interface RetryOptionDefaults {
  readonly retryLimit: number;
  readonly baseMs: number;
  readonly capMs: number;
}

/**
 * The Lab options of a lab that retries conflicts: `retry-limit`, `backoff-base-ms` and
 * `backoff-cap-ms`. Declared once so that the same flag means the same thing for every lab.
 */
export const retryOptionSpecs = (defaults: RetryOptionDefaults): Readonly<Record<string, LabOptionSpec>> => ({
  'retry-limit': {
    kind: 'integer',
    description:
      'retries after a conflict or a deadlock before the operation fails with conflict_retries_exhausted (deadlock when the last try was a deadlock victim)',
    min: 0,
    max: 10_000,
    default: defaults.retryLimit,
  },
  ...backoffOptionSpecs(defaults),
});

/** The backoff that the options declared by `retryOptionSpecs` describe; throws if they were not resolved. */
export const backoffFromOptions = (options: Readonly<Record<string, LabOptionValue>>): BackoffOptions => {
  const read = (name: string): number => {
    const value = options[name];
    if (typeof value !== 'number') {
      throw new TypeError(
        `option --${name} is ${String(value)}; resolve the lab's options (resolveLabOptions) first`,
      );
    }
    return value;
  };
  return {
    baseMs: read('backoff-base-ms'),
    capMs: read('backoff-cap-ms'),
    maxAttempts: read('retry-limit') + 1,
  };
};
