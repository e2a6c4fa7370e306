import { type Outcome, resolveLabOptions } from '@concurrency-lab/model';
import { describe, expect, it } from 'vitest';
import { runScenario, withdrawStorm } from '../src/index.ts';
import { memoryLab } from './memory-lab.ts';

/** `lab` with each withdrawal passed through `wrap` (which gets the 1-based call number and the lab's own). */
const wrapWithdraw = (
  lab: ReturnType<typeof memoryLab>,
  wrap: (call: number, withdraw: () => Promise<Outcome<number>>) => Promise<Outcome<number>>,
): ReturnType<typeof memoryLab> => {
  let calls = 0;
  return {
    ...lab,
    open: async (ctx) => {
      const session = await lab.open(ctx);
      return {
        ...session,
        withdraw: (id, amount, op) => wrap(++calls, () => session.withdraw(id, amount, op)),
      };
    },
  };
};

const context = (lab: string) => ({
  lab,
  options: resolveLabOptions(memoryLab(), {}),
  services: {},
  namespace: 'test',
});

describe('runScenario', () => {
  it('records every operation once, in index order, with monotonic invoke and complete times', async () => {
    const lab = memoryLab();
    const result = await runScenario({
      lab,
      scenario: withdrawStorm({ balance: 100, count: 80 }),
      context: context('memory'),
      concurrency: 8,
    });
    expect(result.history).toHaveLength(80);
    expect(result.history.map((op) => op.index)).toEqual([...Array(80).keys()]);
    for (const op of result.history) {
      expect(op.completedAt).toBeGreaterThanOrEqual(op.invokedAt);
      expect(op.process).toBeGreaterThanOrEqual(0);
      expect(op.process).toBeLessThan(8);
    }
    expect(new Set(result.history.map((op) => op.id)).size).toBe(80);
  });

  it('widens the race where the lab asks: one client is correct, eight with a widened window lose updates', async () => {
    const scenario = withdrawStorm({ balance: 100, count: 80 });
    const serial = await runScenario({
      lab: memoryLab(),
      scenario,
      context: context('memory'),
      concurrency: 1,
    });
    expect(serial.verdict.valid).toBe(true);
    const lab = memoryLab();
    const widened = await runScenario({
      lab,
      scenario,
      context: context('memory'),
      concurrency: 8,
      raceWindowMs: 2,
    });
    expect(lab.calls.raceWindow).toBeGreaterThan(0);
    expect(widened.verdict.violations.map((v) => v.kind)).toContain('lost-update');
    expect(widened.matchesExpectation).toBe(true);
  });

  it('turns an exception into info (effect unknown) and keeps going; the ledger resolves it to an exact verdict', async () => {
    const result = await runScenario({
      lab: memoryLab({ throwEvery: 10 }),
      scenario: withdrawStorm({ balance: 100, count: 80 }),
      context: context('memory'),
      concurrency: 1,
    });
    expect(result.history).toHaveLength(80);
    expect(result.counts.info).toBe(5);
    expect(result.history.find((op) => op.outcome?.type === 'info')?.outcome).toEqual({
      type: 'info',
      error: 'connection reset after commit',
    });
    // The thrown withdrawals did take effect: looked up in the ledger by op id, each counts as the
    // change it was, so the verdict is exact (true), while the history still says info.
    expect(result.unknownOutcomes).toEqual({ unknown: 5, applied: 5, notApplied: 0, unresolved: 0 });
    expect(result.history.filter((op) => op.resolution === 'applied')).toHaveLength(5);
    expect(result.verdict).toMatchObject({ valid: true, violations: [] });
  });

  it('answers invalid_amount before the lab sees anything but a positive safe integer', async () => {
    const lab = memoryLab();
    for (const amount of [0, -2, 1.5, Number.NaN, 2 ** 53]) {
      const result = await runScenario({
        lab,
        scenario: {
          ...withdrawStorm({ balance: 100, count: 3 }),
          ops: () => [{ kind: 'withdraw', accountId: 1, amount }],
        },
        context: context('memory'),
      });
      expect(result.history[0]?.outcome).toMatchObject({ type: 'fail', reason: 'invalid_amount' });
      expect(result.finalState.accounts[0]?.balance).toBe(100);
    }
    expect(lab.calls.raceWindow).toBe(0);
  });

  it('stops issuing operations when its signal aborts, and returns what it did, marked interrupted', async () => {
    const controller = new AbortController();
    const result = await runScenario({
      lab: wrapWithdraw(memoryLab(), (call, withdraw) => {
        if (call === 10) controller.abort();
        return withdraw();
      }),
      scenario: withdrawStorm({ balance: 100, count: 80 }),
      context: context('memory'),
      concurrency: 1,
      signal: controller.signal,
    });
    expect(result.interrupted).toBe(true);
    expect(result.plannedOps).toBe(80);
    expect(result.counts.total).toBe(10);
    expect(result.history.every((op) => op.outcome?.type === 'ok')).toBe(true);
    // A partial run is not held to the whole scenario's outcome (40 ok), only to what it did.
    expect(result.finalState.accounts[0]?.balance).toBe(80);
    expect(result.verdict).toMatchObject({ valid: true, violations: [] });
    // A complete run reports that it was not interrupted.
    const whole = await runScenario({
      lab: memoryLab(),
      scenario: withdrawStorm({ balance: 100, count: 8 }),
      context: context('memory'),
      concurrency: 1,
    });
    expect(whole.interrupted).toBe(false);
  });

  it('after an interruption, records operations that never answer as info, and judges from the history when the state cannot be read', async () => {
    const controller = new AbortController();
    const lab = wrapWithdraw(memoryLab(), (call, withdraw) => {
      if (call === 6) controller.abort();
      return call > 5 ? new Promise(() => {}) : withdraw();
    });
    const hanging: typeof lab = {
      ...lab,
      store: (ctx) => {
        const store = lab.store(ctx);
        return {
          ...store,
          readState: async () => {
            if (controller.signal.aborted) throw new Error('the database is shutting down');
            return store.readState();
          },
        };
      },
    };
    const result = await runScenario({
      lab: hanging,
      scenario: withdrawStorm({ balance: 100, count: 80 }),
      context: context('memory'),
      concurrency: 1,
      signal: controller.signal,
    });
    expect(result.interrupted).toBe(true);
    expect(result.counts).toMatchObject({ ok: 5, info: 1, total: 6 });
    expect(result.history[5]?.outcome).toMatchObject({
      type: 'info',
      error: expect.stringMatching(/interrupted/),
    });
    expect(result.finalStateError).toMatch(/shutting down/);
    expect(result.verdict).toEqual({ valid: 'unknown', violations: [] });
  });

  it('refuses a scenario the lab does not declare, with the reason the lab gives', async () => {
    const lab = { ...memoryLab(), expect: {}, unsupported: { 'withdraw-storm': 'it keeps no balances' } };
    await expect(runScenario({ lab, scenario: withdrawStorm(), context: context('memory') })).rejects.toThrow(
      'does not support scenario withdraw-storm: it keeps no balances',
    );
  });
});
