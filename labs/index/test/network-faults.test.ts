import { parseFaults, type RunResult, SCENARIOS } from '@concurrency-lab/harness';
import { resolveLabOptions } from '@concurrency-lab/model';
import { FAULTS, runLab, ServiceHub, toxiproxyBinary } from '@concurrency-lab/services';
import { afterAll, describe, expect, it } from 'vitest';
import { labNamed } from '../src/index.ts';

// Network faults through Toxiproxy, which scripts/with-tools builds once with Go (CI runs through it).
const binary = toxiproxyBinary();
const missing = binary === undefined;
const why = 'skipped: no Toxiproxy server (build it with scripts/toxiproxy.sh, or set LAB_TOXIPROXY)';

/** Whether a process with this pid exists (signal 0 only asks). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const hub = new ServiceHub();
afterAll(() => hub.close());

const describeRun = (r: RunResult) =>
  `${r.lab} ${JSON.stringify(r.options)}: valid=${r.verdict.valid} counts=${JSON.stringify(r.counts)} faults=${JSON.stringify(r.faults)} violations=${JSON.stringify(r.verdict.violations.map((v) => v.kind))}`;

const run = async (name: string, fault: string, given: Readonly<Record<string, string>> = {}, ops = 40) => {
  const lab = labNamed(name);
  if (!lab) throw new Error(`no lab ${name}`);
  const options = resolveLabOptions(lab, given);
  return runLab(hub, {
    lab,
    scenario: SCENARIOS['withdraw-storm'].scaled(ops),
    options,
    concurrency: 10,
    faults: parseFaults([fault], FAULTS, lab, options),
  });
};

describe.skipIf(missing)(`network faults through Toxiproxy${missing ? ` (${why})` : ''}`, () => {
  // Kleppmann's case: the lease (50 ms) ends while each statement waits 100 ms in the network.
  it('latency on postgres longer than the lease: redis-lock is unsafe without fencing, as expected', async () => {
    const result = await run('redis-lock', 'latency:postgres:100', { 'lock-ttl': '50' });
    expect(result.faults?.[0]?.error, describeRun(result)).toBeUndefined();
    expect(result.verdict.valid, describeRun(result)).toBe(false);
    expect(
      result.verdict.violations.map((v) => v.kind),
      describeRun(result),
    ).toContain('lost-update');
    expect(result.expectation).toBe('unsafe');
    expect(result.matchesExpectation).toBe(true);
  });

  it('the same with --fencing: safe, the holders whose lease ran out refused with stale_token', async () => {
    const result = await run('redis-lock', 'latency:postgres:100', { 'lock-ttl': '50', fencing: 'on' });
    expect(result.verdict, describeRun(result)).toMatchObject({ valid: true, violations: [] });
    expect(result.counts.fail.stale_token, describeRun(result)).toBeGreaterThan(0);
    expect(result.matchesExpectation).toBe(true);
  });

  it('a partition of postgres: select-for-update loses nothing, and the run goes on once it heals', async () => {
    const result = await run('select-for-update', 'partition:postgres', {}, 300);
    expect(result.faults?.[0]?.error, describeRun(result)).toBeUndefined();
    expect(result.verdict.violations, describeRun(result)).toEqual([]);
    expect(result.counts.total).toBe(300);
    // The ops after the partition healed reached the database again.
    expect(result.history.slice(-20).filter((op) => op.outcome?.type === 'ok').length).toBeGreaterThan(0);
  });

  it('a target the lab has no connection to is refused, naming the lab’s targets', () => {
    const lab = labNamed('naive');
    if (!lab) throw new Error('no lab naive');
    expect(() => parseFaults(['latency:redis:5'], FAULTS, lab, resolveLabOptions(lab, {}))).toThrow(
      /lab naive has no connections to "redis"; its targets: postgres/,
    );
  });

  it('no Toxiproxy process outlives the hub that started it', async () => {
    const server = await hub.toxiproxy();
    const pid = server.pid;
    expect(pid).toBeDefined();
    expect(isAlive(pid as number)).toBe(true);
    await hub.close();
    expect(isAlive(pid as number)).toBe(false);
  });
});
