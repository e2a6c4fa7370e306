import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { IsolationLevel } from '../src/isolation-levels.ts';
import { runPermutation } from '../src/permutation-runner.ts';
import { parseSpec, SpecError } from '../src/spec-loader.ts';
import type { PermutationTrace, TraceEvent } from '../src/trace.ts';
import { schemaExists } from './schema-exists.ts';

// Provided by the root vitest globalSetup: an embedded Postgres, or the server LAB_DATABASE_URL names.
const url = process.env.LAB_DATABASE_URL as string;
// Every wait here is bounded well below the test timeout; none relies on a default.
const stepTimeoutMs = 10_000;
const TEST_TIMEOUT_MS = 30_000;

const SETUP =
  'create table account (id int primary key, balance int not null); insert into account values (1, 10), (2, 20);';

/** A spec from sessions (name → step → SQL) and one permutation; its condition is beside the point here. */
const specOf = (sessions: Record<string, Record<string, string>>, steps: string[], setup = SETUP) =>
  parseSpec(
    stringify({
      id: 'RUNNER',
      name: 'runner test',
      description: 'Exercises the runner.',
      setup,
      sessions,
      permutations: [{ name: 'under-test', steps, 'anomaly-if': [{ committed: Object.keys(sessions) }] }],
    }),
    'runner-test.yaml',
  );

const run = (
  spec: ReturnType<typeof specOf>,
  isolation: IsolationLevel = 'read-committed',
  onEvent?: (e: TraceEvent) => void,
) =>
  runPermutation({
    url,
    spec,
    permutation: spec.permutations[0] as (typeof spec.permutations)[number],
    isolation,
    stepTimeoutMs,
    ...(onEvent ? { onEvent } : {}),
  });

/** An event as a short string, easy to compare in order. */
const describeEvent = (event: TraceEvent): string => {
  switch (event.type) {
    case 'sent':
      return `sent ${event.step}`;
    case 'queued':
      return `queued ${event.step} behind ${event.behind}`;
    case 'blocked':
      return `blocked ${event.step} by ${event.by.join(',')}`;
    case 'completed': {
      const answer = event.outcome.type === 'ok' ? event.outcome.commands.join(',') : event.outcome.sqlstate;
      return `completed ${event.step} ${answer}${event.after ? ` after ${event.after}` : ''}`;
    }
  }
};

const summary = (trace: PermutationTrace): string[] => trace.events.map(describeEvent);

const twoWriters = specOf(
  {
    T1: {
      't1-begin': 'begin',
      't1-write': 'update account set balance = 11 where id = 1',
      't1-end': 'commit',
    },
    T2: {
      't2-begin': 'begin',
      't2-write': 'update account set balance = 12 where id = 1',
      't2-end': 'commit',
    },
  },
  ['t1-begin', 't2-begin', 't1-write', 't2-write', 't1-end', 't2-end'],
);

/** Two sessions that each write both rows: the permutation decides who waits for whom. */
const bothRows = {
  T1: {
    't1-begin': 'begin',
    't1-write-1': 'update account set balance = 11 where id = 1',
    't1-write-2': 'update account set balance = 21 where id = 2',
    't1-end': 'commit',
  },
  T2: {
    't2-begin': 'begin',
    't2-write-1': 'update account set balance = 12 where id = 1',
    't2-write-2': 'update account set balance = 22 where id = 2',
    't2-end': 'commit',
  },
};

describe('runPermutation', () => {
  it(
    'reports a step that waits for a row lock as blocked by the session holding it, and completes it once that session commits',
    async () => {
      const trace = await run(twoWriters);
      expect(summary(trace)).toEqual([
        'sent t1-begin',
        'completed t1-begin BEGIN',
        'sent t2-begin',
        'completed t2-begin BEGIN',
        'sent t1-write',
        'completed t1-write UPDATE',
        'sent t2-write',
        'blocked t2-write by T1',
        'sent t1-end',
        'completed t1-end COMMIT',
        'completed t2-write UPDATE after t1-end',
        'sent t2-end',
        'completed t2-end COMMIT',
      ]);
      expect(trace.queries).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails the blocked step with 40001 at repeatable read once the session it waited for commits',
    async () => {
      const events = summary(await run(twoWriters, 'repeatable-read'));
      expect(events).toContain('blocked t2-write by T1');
      expect(events.slice(events.indexOf('sent t1-end'))).toEqual([
        'sent t1-end',
        'completed t1-end COMMIT',
        'completed t2-write 40001 after t1-end',
        'sent t2-end',
        // COMMIT of a failed transaction: the server rolls it back.
        'completed t2-end ROLLBACK',
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'lets the blocked step through, even at repeatable read, when the session it waited for rolls back',
    async () => {
      const spec = specOf(
        {
          T1: {
            't1-begin': 'begin',
            't1-write': 'update account set balance = 11 where id = 1',
            't1-end': 'rollback',
          },
          T2: {
            't2-begin': 'begin',
            't2-write': 'update account set balance = 12 where id = 1',
            't2-end': 'commit',
          },
        },
        ['t1-begin', 't2-begin', 't1-write', 't2-write', 't1-end', 't2-end'],
      );
      const events = summary(await run(spec, 'repeatable-read'));
      expect(events).toContain('blocked t2-write by T1');
      expect(events).toContain('completed t2-write UPDATE after t1-end');
      expect(events.at(-1)).toBe('completed t2-end COMMIT');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps a blocked session’s next step queued while the other session goes on, and sends it once it is free',
    async () => {
      const spec = specOf(bothRows, [
        't1-begin',
        't2-begin',
        't1-write-1',
        't2-write-1',
        't2-write-2',
        't1-write-2',
        't1-end',
        't2-end',
      ]);
      const events = summary(await run(spec));
      expect(events.slice(events.indexOf('blocked t2-write-1 by T1'))).toEqual([
        'blocked t2-write-1 by T1',
        'queued t2-write-2 behind t2-write-1',
        'sent t1-write-2',
        'completed t1-write-2 UPDATE',
        'sent t1-end',
        'completed t1-end COMMIT',
        'completed t2-write-1 UPDATE after t1-end',
        'sent t2-write-2',
        'completed t2-write-2 UPDATE',
        'sent t2-end',
        'completed t2-end COMMIT',
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'waits for the server to break a deadlock (one step fails with 40P01, the other completes) before sending the next step',
    async () => {
      // Each session holds one row and asks for the other's.
      const spec = specOf(bothRows, [
        't1-begin',
        't2-begin',
        't1-write-1',
        't2-write-2',
        't1-write-2',
        't2-write-1',
        't1-end',
        't2-end',
      ]);
      const events = summary(await run(spec));
      expect(events).toContain('blocked t1-write-2 by T2');
      const settled = events.slice(events.indexOf('sent t2-write-1') + 1, events.indexOf('sent t1-end'));
      // Which of the two the server aborts is its choice; that exactly one is, before t1-end, is not.
      expect(settled.filter((event) => event.includes('40P01'))).toHaveLength(1);
      expect(settled.filter((event) => / (t1-write-2|t2-write-1) UPDATE/.test(event))).toHaveLength(1);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails, naming the step, when a blocked step waits for a session with no steps left; the run’s schema is dropped anyway',
    async () => {
      const spec = specOf(
        {
          T1: {
            't1-where': 'select current_schema() as schema',
            't1-begin': 'begin',
            't1-write': 'update account set balance = 11 where id = 1',
          },
          T2: { 't2-begin': 'begin', 't2-write': 'update account set balance = 12 where id = 1' },
        },
        ['t1-where', 't1-begin', 't2-begin', 't1-write', 't2-write'],
      );
      let schema: string | undefined;
      const error = await run(spec, 'read-committed', (event) => {
        if (event.type === 'completed' && event.step === 't1-where' && event.outcome.type === 'ok') {
          schema = String(event.outcome.rows[0]?.schema);
        }
      }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).step).toBe('t2-write');
      expect((error as Error).message).toMatch(
        /^runner-test\.yaml: permutation "under-test": step "t2-write" waits for T1, which has no steps left/,
      );
      expect(schema).toMatch(/^lab_anomaly_/);
      expect(await schemaExists(url, schema ?? '')).toBe(false);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails with a SpecError naming the file and the step when the server rejects a step’s SQL',
    async () => {
      const spec = specOf(
        { T1: { 't1-read': 'select * from acount' }, T2: { 't2-read': 'select * from account' } },
        ['t1-read', 't2-read'],
      );
      await expect(run(spec)).rejects.toThrow(
        /^runner-test\.yaml: step "t1-read" \(session T1\): the server rejected its SQL \(42P01: relation "acount" does not exist\)/,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails with a SpecError naming the setup when the server rejects it',
    async () => {
      const spec = specOf(
        { T1: { 't1-read': 'select 1' }, T2: { 't2-read': 'select 2' } },
        ['t1-read', 't2-read'],
        'create tabel x (id int)',
      );
      await expect(run(spec)).rejects.toThrow(/^runner-test\.yaml: setup: the server rejected it \(42601: /);
    },
    TEST_TIMEOUT_MS,
  );

  it.each(['read-committed', 'repeatable-read', 'serializable'] as const)(
    'runs each session on a connection of its own whose transactions begin at %s',
    async (level) => {
      const ask = 'select current_setting($$transaction_isolation$$) as level, pg_backend_pid() as pid';
      const spec = specOf(
        {
          T1: { 't1-begin': 'begin', 't1-ask': ask, 't1-end': 'commit' },
          T2: { 't2-begin': 'begin', 't2-ask': ask, 't2-end': 'commit' },
        },
        ['t1-begin', 't2-begin', 't1-ask', 't2-ask', 't1-end', 't2-end'],
      );
      const trace = await run(spec, level);
      const answers = ['t1-ask', 't2-ask'].map((step) => {
        const event = trace.events.find((e) => e.type === 'completed' && e.step === step);
        return event?.type === 'completed' && event.outcome.type === 'ok' ? event.outcome.rows[0] : undefined;
      });
      expect(answers.map((row) => row?.level)).toEqual([level.replace('-', ' '), level.replace('-', ' ')]);
      expect(answers[0]?.pid).not.toBe(answers[1]?.pid);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps runs that share a database apart: two at once, same table names, each sees only its own rows',
    async () => {
      const spec = (balance: number) =>
        specOf(
          {
            T1: { 't1-write': `update account set balance = ${balance} where id = 1` },
            T2: { 't2-read': 'select balance from account where id = 1' },
          },
          ['t1-write', 't2-read'],
        );
      const traces = await Promise.all([run(spec(111)), run(spec(222))]);
      const read = traces.map((trace) => {
        const event = trace.events.find((e) => e.type === 'completed' && e.step === 't2-read');
        return event?.type === 'completed' && event.outcome.type === 'ok' ? event.outcome.rows : undefined;
      });
      expect(read).toEqual([[{ balance: 111 }], [{ balance: 222 }]]);
    },
    TEST_TIMEOUT_MS,
  );
});
