import { describe, expect, it } from 'vitest';
import {
  type BackoffOptions,
  backoffCeilingMs,
  backoffDelayMs,
  backoffFromOptions,
  type Lab,
  type RandomSource,
  RETRY,
  resolveLabOptions,
  retryOptionSpecs,
  retryWithBackoff,
} from '../src/index.ts';

// mulberry32: a tiny seeded generator, so every run of this test sees the same "random" delays.
const seeded = (seed: number): RandomSource => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const options: BackoffOptions = { baseMs: 2, capMs: 100, maxAttempts: 10 };

describe('backoffCeilingMs', () => {
  it('doubles from the base until it reaches the cap, then stays there', () => {
    const ceilings = Array.from({ length: 10 }, (_, i) => backoffCeilingMs(i + 1, options));
    expect(ceilings).toEqual([2, 4, 8, 16, 32, 64, 100, 100, 100, 100]);
  });

  it('stays at the cap for absurdly many retries (no Infinity, no NaN)', () => {
    expect(backoffCeilingMs(5000, options)).toBe(100);
    expect(backoffCeilingMs(5000, { ...options, baseMs: 0 })).toBe(0);
    expect(backoffDelayMs(5000, { ...options, baseMs: 0 })).toBe(0);
  });
});

describe('backoffDelayMs', () => {
  it('is never negative and never above the ceiling or the cap, whatever the source returns', () => {
    const random = seeded(42);
    for (let retry = 1; retry <= 40; retry++) {
      for (let i = 0; i < 200; i++) {
        const delay = backoffDelayMs(retry, options, random);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(backoffCeilingMs(retry, options));
        expect(delay).toBeLessThanOrEqual(options.capMs);
      }
    }
    for (const broken of [-1, 1, 7, Number.NaN]) {
      const delay = backoffDelayMs(30, options, () => broken);
      expect(delay >= 0 && delay <= options.capMs).toBe(true);
    }
  });

  it('grows with the retry number until the cap (mean over a seeded sample)', () => {
    const random = seeded(7);
    const mean = (retry: number) => {
      let sum = 0;
      for (let i = 0; i < 2000; i++) sum += backoffDelayMs(retry, options, random);
      return sum / 2000;
    };
    const means = [1, 2, 3, 4, 5, 6, 7].map(mean);
    for (let i = 1; i < means.length; i++) expect(means[i]).toBeGreaterThan(means[i - 1] as number);
    // Full jitter: the mean is about half the ceiling.
    expect(means[6]).toBeGreaterThan(40);
    expect(means[6]).toBeLessThan(60);
  });

  it('uses the whole range below the ceiling (full jitter, not a fixed delay)', () => {
    const random = seeded(1);
    const delays = Array.from({ length: 500 }, () => backoffDelayMs(7, options, random));
    expect(Math.min(...delays)).toBeLessThan(10);
    expect(Math.max(...delays)).toBeGreaterThan(90);
  });
});

describe('retryWithBackoff', () => {
  const noSleep = async () => {};

  it('returns the first result that is not RETRY, after sleeping once per retry', async () => {
    const slept: number[] = [];
    const retries: number[] = [];
    const result = await retryWithBackoff(
      options,
      async (n) => (n < 4 ? RETRY : `done on ${n}`),
      () => 'exhausted',
      {
        random: seeded(3),
        sleep: async (ms) => {
          slept.push(ms);
        },
        onRetry: (retry) => retries.push(retry),
      },
    );
    expect(result).toBe('done on 4');
    expect(retries).toEqual([1, 2, 3]);
    expect(slept.every((ms, i) => ms >= 0 && ms <= backoffCeilingMs(i + 1, options))).toBe(true);
  });

  it('makes at most maxAttempts attempts, then answers exhausted()', async () => {
    let attempts = 0;
    const result = await retryWithBackoff(
      { ...options, maxAttempts: 3 },
      async () => {
        attempts++;
        return RETRY;
      },
      () => 'exhausted',
      { sleep: noSleep },
    );
    expect(result).toBe('exhausted');
    expect(attempts).toBe(3);
  });

  it('refuses a maxAttempts that is not a whole number from 1 rather than making no attempt', async () => {
    for (const maxAttempts of [0, Number.NaN, 2.5, Number.POSITIVE_INFINITY]) {
      await expect(
        retryWithBackoff(
          { ...options, maxAttempts },
          async () => 1,
          () => 0,
        ),
      ).rejects.toThrow(RangeError);
    }
  });

  it('makes one attempt when maxAttempts is 1 and does not retry exceptions', async () => {
    let attempts = 0;
    await expect(
      retryWithBackoff(
        options,
        async () => {
          attempts++;
          throw new Error('boom');
        },
        () => 'exhausted',
        { sleep: noSleep },
      ),
    ).rejects.toThrow('boom');
    expect(attempts).toBe(1);
    expect(
      await retryWithBackoff(
        { ...options, maxAttempts: 1 },
        async () => RETRY,
        () => 'x',
      ),
    ).toBe('x');
  });
});

describe('retryOptionSpecs', () => {
  const lab = { name: 'retrying', options: retryOptionSpecs({ retryLimit: 7, baseMs: 3, capMs: 90 }) } as Lab;

  it('declares the shared options with the given defaults, and backoffFromOptions reads them back', () => {
    const resolved = resolveLabOptions(lab, {});
    expect(resolved).toEqual({ 'retry-limit': 7, 'backoff-base-ms': 3, 'backoff-cap-ms': 90 });
    // A retry limit of 7 allows 8 attempts in all.
    expect(backoffFromOptions(resolved)).toEqual({ baseMs: 3, capMs: 90, maxAttempts: 8 });
    expect(backoffFromOptions(resolveLabOptions(lab, { 'retry-limit': '0' })).maxAttempts).toBe(1);
  });

  it('refuses options that were never resolved instead of retrying zero times', () => {
    expect(() => backoffFromOptions({})).toThrow(/--backoff-base-ms is undefined; resolve the lab's options/);
  });

  it('rejects a negative retry limit or backoff, naming the accepted range', () => {
    expect(() => resolveLabOptions(lab, { 'retry-limit': -1 })).toThrow(
      /--retry-limit must be an integer from 0 to/,
    );
    expect(() => resolveLabOptions(lab, { 'backoff-cap-ms': 'soon' })).toThrow(/--backoff-cap-ms/);
  });
});
