import { createRng, type Progress, type RunResult, SCENARIOS } from '@concurrency-lab/harness';
import { resolveLabOptions } from '@concurrency-lab/model';
import { labSchemas, schemaNameFor, terminateBackends } from '@concurrency-lab/postgres';
import { killClients } from '@concurrency-lab/redis';
import { freshNamespace, runLab, ServiceHub } from '@concurrency-lab/services';
import { afterAll, describe, expect, it } from 'vitest';
import { labNamed } from '../src/index.ts';

// Connections killed from the server's side in the middle of a run, as an operator, a failover or a
// network cut would: the operations using them become `info` (their effect is unknown), the run
// goes on over new connections to its end, its verdict stays honest (never a violation the lab did
// not commit), and the process lives on (an uncaught 'error' event would fail this file).

const hub = new ServiceHub();
afterAll(() => hub.close());

/** Calls `kill` each time the run passes one of `fractions` of its operations; resolves what each kill reported. */
const killAt = (fractions: readonly number[], kill: () => Promise<number>) => {
  const pending = [...fractions];
  const kills: Array<Promise<number>> = [];
  return {
    onProgress: ({ done, total }: Progress) => {
      while (pending.length > 0 && done >= (pending[0] ?? 1) * total) {
        pending.shift();
        kills.push(kill());
      }
    },
    killed: async () => (await Promise.all(kills)).reduce((sum, n) => sum + n, 0),
  };
};

const describeRun = (r: RunResult) =>
  `${r.lab}: valid=${r.verdict.valid} counts=${JSON.stringify(r.counts)} unknown=${JSON.stringify(r.unknownOutcomes)} violations=${JSON.stringify(r.verdict.violations)}`;

/** The run's honest verdict after kills: nothing violated, the whole scenario issued, and work done after the last kill. */
const expectHonest = (result: RunResult, planned: number) => {
  expect(result.verdict.violations, describeRun(result)).toEqual([]);
  // Every unknown op looked up in the ledger by its op id: the verdict is exact, not undecided.
  const { unknownOutcomes } = result;
  expect(unknownOutcomes?.unknown, describeRun(result)).toBe(result.counts.info);
  expect(unknownOutcomes?.unresolved, describeRun(result)).toBe(0);
  expect(result.history.filter((op) => op.resolution !== undefined)).toHaveLength(result.counts.info);
  expect(result.verdict.valid, describeRun(result)).toBe(true);
  expect(result.interrupted).toBe(false);
  expect(result.counts.total).toBe(planned);
  expect(result.counts.info, describeRun(result)).toBeGreaterThan(0);
  // The last tenth of the run came after every kill: it was served over new connections.
  const tail = result.history.slice(Math.floor(planned * 0.9));
  expect(tail.filter((op) => op.outcome?.type !== 'info').length).toBeGreaterThan(tail.length / 2);
};

describe('Postgres backends terminated mid-run (pg_terminate_backend)', () => {
  // Each run lasts long enough for its progress, reported every 100 ms, to reach each kill point
  // apart: update-returning does 3000 operations in about 0.3 s, so it gets more.
  it.each([
    ['select-for-update', {}, 3000],
    ['update-returning', {}, 10_000],
    ['pg-transaction', { isolation: 'serializable' }, 3000],
  ] as const)(
    '%s %j: the operations on them are info, the run goes on to an honest verdict, the schema is removed',
    async (name, given, ops) => {
      const lab = labNamed(name);
      if (!lab) throw new Error(`no lab ${name}`);
      const options = resolveLabOptions(lab, given);
      const namespace = freshNamespace(lab.name);
      const schema = schemaNameFor(namespace);
      const url = await hub.postgresUrl();
      const scenario = SCENARIOS['withdraw-storm'].scaled(ops);
      const planned = scenario.ops(createRng(1)).length;
      const kills = killAt([0.2, 0.45, 0.7], () => terminateBackends(url, schema));
      const result = await runLab(hub, { lab, scenario, options, namespace, onProgress: kills.onProgress });
      expect(await kills.killed()).toBeGreaterThan(0);
      expectHonest(result, planned);
      expect(await labSchemas(url)).not.toContain(schema);
    },
  );
});

describe('Redis connections killed mid-run (CLIENT KILL)', () => {
  it('redis-lua: a script whose reply was lost is info, never run a second time', async () => {
    const lab = labNamed('redis-lua');
    if (!lab) throw new Error('no lab redis-lua');
    const namespace = freshNamespace(lab.name);
    const url = await hub.redisUrl();
    const scenario = SCENARIOS['withdraw-storm'].full();
    const planned = scenario.ops(createRng(1)).length;
    const kills = killAt([0.2, 0.4, 0.6], () => killClients(url, `lab-${namespace}`));
    const result = await runLab(hub, { lab, scenario, namespace, onProgress: kills.onProgress });
    expect(await kills.killed()).toBeGreaterThan(0);
    expectHonest(result, planned);
  });
});
