import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('lab trace', () => {
  it('walks select-for-update through the default schedule: B blocks on the row lock, then reads 8', () => {
    const { status, stdout, stderr } = runCli('trace', 'select-for-update', '--json');
    expect(status, stderr).toBe(0);
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({
      lab: 'select-for-update',
      scenario: 'withdraw-storm',
      schedule: 'A:read B:read A:write A:commit B:write B:commit',
      outcome: { protection: 'blocked', client: 'B' },
      finalState: { accounts: [{ id: 1, balance: 6 }] },
      violations: [],
    });
    const b = result.steps
      .filter((s: { client: string }) => s.client === 'B')
      .map((s: { kind: string; step?: string }) => s.step ?? s.kind);
    expect(b.indexOf('blocked')).toBeGreaterThan(-1);
    expect(b.indexOf('blocked')).toBeLessThan(b.indexOf('read'));
  });

  it('prints the two-column timeline with the lost update beside it for naive', () => {
    const { status, stdout, stderr } = runCli('trace', 'naive');
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/client A {30,}client B/);
    expect(stdout).toMatch(/^ {2}read balance = 10$/m);
    expect(stdout).toMatch(/^ {40}read balance = 10$/m);
    expect(stdout).toMatch(/← lost update: A's withdrawal vanished/);
  });

  it.each([
    [['trace', 'nope'], /unknown lab "nope"; valid labs: naive, mutex/],
    [
      ['trace', 'naive', '--scenario', 'mixed'],
      /unknown scenario "mixed"; valid scenarios: withdraw-storm, flash-sale, write-skew/,
    ],
    [
      ['trace', 'naive', '--schedule', 'A:read B:fly'],
      /--schedule: schedule token 2, "B:fly": action "fly" is not one of lock, read, write, commit; a schedule is tokens/,
    ],
    [
      ['trace', 'check-constraint', '--scenario', 'write-skew'],
      /lab check-constraint cannot run scenario write-skew: a CHECK constraint/,
    ],
  ])('exits 2 for %j, naming what is accepted', (args, message) => {
    const { status, stderr } = runCli(...args);
    expect(status).toBe(2);
    expect(stderr).toMatch(message);
  });
});
