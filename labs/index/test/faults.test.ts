import { setTimeout as sleep } from 'node:timers/promises';
import {
  createRng,
  type FaultSchedule,
  parseFaults,
  type RunResult,
  SCENARIOS,
} from '@concurrency-lab/harness';
import { resolveLabOptions } from '@concurrency-lab/model';
import { countBackends, labSchemas, schemaNameFor } from '@concurrency-lab/postgres';
import { FAULTS, freshNamespace, runLab, ServiceHub } from '@concurrency-lab/services';
import { afterAll, describe, expect, it } from 'vitest';
import { labNamed } from '../src/index.ts';

// Each fault's expected verdict, asserted on a real run. Process faults act only on redis-server
// nodes the run itself started, so this file's hub starts its own instead of the test run's shared ones.
delete process.env.LAB_REDIS_URL;
delete process.env.LAB_REDLOCK_URLS;

const hub = new ServiceHub();
/** Whether `pid` still runs: signal 0 checks without sending (Node reaps its children, so no zombie remains). */
const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Every redis-server pid this file's runs had, before and after their faults: none may survive. */
const pids = new Set<number>();
const notePids = async (labName: string) => {
  const lab = labNamed(labName);
  for (const node of (lab && (await hub.startedRedisNodes(lab))) ?? [])
    if (node.pid !== undefined) pids.add(node.pid);
};
afterAll(async () => {
  await hub.close();
});

/** The first message of each fail reason and of info: a failed assertion then shows why the ops failed. */
const firstMessages = (r: RunResult) => {
  const messages: Record<string, string> = {};
  for (const { outcome, invokedAt } of r.history) {
    const key = outcome?.type === 'fail' ? outcome.reason : outcome?.type === 'info' ? 'info' : undefined;
    const text =
      outcome?.type === 'fail' ? outcome.message : outcome?.type === 'info' ? outcome.error : undefined;
    if (key && text && !(key in messages)) messages[key] = `at ${invokedAt.toFixed(0)} ms: ${text}`;
  }
  return messages;
};

const describeRun = (r: RunResult) =>
  `${r.lab}: valid=${r.verdict.valid} counts=${JSON.stringify(r.counts)} faults=${JSON.stringify(r.faults)} violations=${JSON.stringify(r.verdict.violations.map((v) => v.kind))} first messages=${JSON.stringify(firstMessages(r))}`;

interface FaultRun {
  readonly lab: string;
  readonly fault: string;
  readonly options?: Readonly<Record<string, string>>;
  readonly ops?: number;
  readonly concurrency?: number;
  readonly schedule?: FaultSchedule;
}

const run = async ({
  lab: name,
  fault,
  options: given = {},
  ops = 200,
  concurrency = 8,
  schedule = {},
}: FaultRun) => {
  const lab = labNamed(name);
  if (!lab) throw new Error(`no lab ${name}`);
  const options = resolveLabOptions(lab, given);
  const namespace = freshNamespace(lab.name);
  const scenario = SCENARIOS['withdraw-storm'].scaled(ops);
  // The lab's services first, so that the nodes are there to note before the fault acts on them.
  await hub.prepare(lab, { options }).then((prepared) => prepared.release());
  await notePids(name);
  const result = await runLab(hub, {
    lab,
    scenario,
    options,
    namespace,
    concurrency,
    faults: parseFaults([fault], FAULTS, lab, options),
    faultSchedule: schedule,
  });
  await notePids(name);
  return { result, namespace, planned: scenario.ops(createRng(1)).length };
};

/** The fault started and stopped, each recorded as an ok nemesis op, and the whole scenario was issued. */
const expectFaultRan = (result: RunResult, planned: number) => {
  expect(result.faults, describeRun(result)).toHaveLength(1);
  expect(result.faults?.[0]?.error, describeRun(result)).toBeUndefined();
  expect(result.faults?.[0]?.toMs).toBeDefined();
  const nemesisOps = result.history.filter((op) => op.request.kind === 'nemesis');
  expect(
    nemesisOps.map((op) => [op.request.kind === 'nemesis' && op.request.phase, op.outcome?.type]),
  ).toEqual([
    ['start', 'ok'],
    ['stop', 'ok'],
  ]);
  expect(result.interrupted).toBe(false);
  expect(result.counts.total).toBe(planned);
};

/** A broken invariant, not merely a count the fault made differ from the scenario's. */
const expectSafetyViolation = (result: RunResult) => {
  expect(result.verdict.valid, describeRun(result)).toBe(false);
  const kinds = result.verdict.violations.map((v) => v.kind);
  expect(
    kinds.some((kind) => kind !== 'unexpected-outcome' && kind !== 'unexpected-final-state'),
    describeRun(result),
  ).toBe(true);
};

const expectNoViolation = (result: RunResult) => {
  expect(result.verdict.violations, describeRun(result)).toEqual([]);
  expect(result.verdict.valid, describeRun(result)).not.toBe(false);
};

describe('pause-holder: a lock holder stalls past its lease, then writes', () => {
  // A lease of a second outlasts every critical section here; only the stall outlasts it.
  it.each(['redis-lock', 'redlock'])('%s is UNSAFE, every run: a second holder got in', async (lab) => {
    const { result, planned } = await run({ lab, fault: 'pause-holder', options: { 'lock-ttl': '1000' } });
    expectFaultRan(result, planned);
    expectSafetyViolation(result);
  });

  it.each(['select-for-update', 'update-returning'])('%s stays safe: its lock has no lease', async (lab) => {
    const { result, planned } = await run({ lab, fault: 'pause-holder' });
    expectFaultRan(result, planned);
    expect(result.verdict.valid, describeRun(result)).toBe(true);
  });
});

describe('kill-redis-nodes: SIGKILL k nodes, restarted a lock-ttl later', () => {
  const lease = { 'lock-ttl': '500' };

  it('redlock, k=2: keeps working on three nodes and stays safe', async () => {
    const { result, planned } = await run({ lab: 'redlock', fault: 'kill-redis-nodes:2', options: lease });
    expectFaultRan(result, planned);
    expect(result.verdict.valid, describeRun(result)).toBe(true);
    const [window] = result.faults ?? [];
    const during = result.history.filter(
      (op) => window && op.invokedAt > window.fromMs && (op.completedAt ?? 0) < (window.toMs ?? 0),
    );
    expect(during.filter((op) => op.outcome?.type === 'ok').length, describeRun(result)).toBeGreaterThan(0);
  });

  it('redlock, k=3: no majority, quorum_unavailable without waiting for the acquire timeout, zero violations', async () => {
    const { result, planned } = await run({
      lab: 'redlock',
      fault: 'kill-redis-nodes:3',
      options: { ...lease, 'acquire-timeout': '30000' },
    });
    expectFaultRan(result, planned);
    expectNoViolation(result);
    const refused = result.history.filter(
      (op) => op.outcome?.type === 'fail' && op.outcome.reason === 'quorum_unavailable',
    );
    expect(refused.length, describeRun(result)).toBeGreaterThan(0);
    // Not a speed measurement: the bound is the acquire timeout, which a fast refusal never waits for.
    for (const op of refused) expect((op.completedAt ?? 0) - op.invokedAt).toBeLessThan(15_000);
  });

  it.each(['redis-lua', 'redis-lock'])(
    '%s, k=1: operations fail or are info, never a violation',
    async (lab) => {
      const { result, planned } = await run({
        lab,
        fault: 'kill-redis-nodes:1',
        options: lab === 'redis-lock' ? lease : {},
        schedule: { forMs: 500 },
      });
      expectFaultRan(result, planned);
      expectNoViolation(result);
      expect(result.counts.ok).toBeLessThan(planned);
    },
  );
});

describe('pause-redis-nodes: SIGSTOP, then SIGCONT', () => {
  it('redlock, k=1: safe, and every node runs again afterwards', async () => {
    const { result, planned } = await run({
      lab: 'redlock',
      fault: 'pause-redis-nodes:1',
      options: { 'lock-ttl': '5000' },
      ops: 60,
      concurrency: 4,
      schedule: { forMs: 300 },
    });
    expectFaultRan(result, planned);
    expectNoViolation(result);
    const lab = labNamed('redlock');
    const nodes = (lab && (await hub.startedRedisNodes(lab))) ?? [];
    expect(nodes.map((node) => node.state)).toEqual(nodes.map(() => 'running'));
  });
});

describe('restart-redis-node: a voter of a held lock restarts empty (the Redlock debate)', () => {
  it('redlock is UNSAFE although no lease expired: a second client won a majority', async () => {
    const { result, planned } = await run({
      lab: 'redlock',
      fault: 'restart-redis-node',
      options: { 'lock-ttl': '5000' },
    });
    expectFaultRan(result, planned);
    expectSafetyViolation(result);
  });
});

describe('fencing tokens: the same faults, fenced, break nothing (and the rules expect both)', () => {
  const cases = [
    ['redis-lock', 'pause-holder', '1000'],
    ['redlock', 'pause-holder', '1000'],
    ['redlock', 'restart-redis-node', '5000'],
  ] as const;
  it.each(cases)('%s with %s and no fencing: expected unsafe, and it is', async (lab, fault, ttl) => {
    const { result } = await run({ lab, fault, options: { 'lock-ttl': ttl } });
    expectSafetyViolation(result);
    expect(result.expectation).toBe('unsafe');
    expect(result.matchesExpectation, describeRun(result)).toBe(true);
  });
  it.each(cases)(
    '%s with %s and --fencing: safe, the stale holder refused with stale_token',
    async (lab, fault, ttl) => {
      const { result, planned } = await run({ lab, fault, options: { 'lock-ttl': ttl, fencing: 'on' } });
      expectFaultRan(result, planned);
      expect(result.verdict, describeRun(result)).toMatchObject({ valid: true, violations: [] });
      expect(result.counts.fail.stale_token, describeRun(result)).toBeGreaterThan(0);
      expect(result.expectation).toBe('safe');
      expect(result.matchesExpectation).toBe(true);
    },
  );
});

describe('terminate-backends: the run’s Postgres connections are cut', () => {
  it('select-for-update: the operations on them are info, the run goes on, the verdict is honest', async () => {
    const { result, planned, namespace } = await run({
      lab: 'select-for-update',
      fault: 'terminate-backends',
      ops: 400,
    });
    expectFaultRan(result, planned);
    expectNoViolation(result);
    expect(result.counts.info, describeRun(result)).toBeGreaterThan(0);
    // No backend of the run outlives it, and its schema is gone.
    const url = await hub.postgresUrl();
    // Nothing of the run is left: a backend whose connection the pool has just closed is still
    // listed until it has exited, so it gets a moment (bounded) to go; one that stays is a leak.
    const deadline = performance.now() + 3_000;
    let left = await countBackends(url, schemaNameFor(namespace));
    while (left > 0 && performance.now() < deadline) {
      await sleep(50);
      left = await countBackends(url, schemaNameFor(namespace));
    }
    expect(left).toBe(0);
    expect(await labSchemas(url)).not.toContain(schemaNameFor(namespace));
  });
});

describe('no process outlives the fault tests', () => {
  it('every redis-server these runs started, killed, paused or restarted is gone once the hub closes', async () => {
    expect(pids.size).toBeGreaterThan(0);
    await hub.close();
    for (const pid of pids) expect(isAlive(pid), `redis-server ${pid}`).toBe(false);
  });
});
