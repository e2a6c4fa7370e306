import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { loadSpecDirectory, loadSpecFile, parseSpec, SpecError } from '../src/spec-loader.ts';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));

/** A spec as parsed YAML, loose enough for the cases below to break any part of it. */
interface Spec {
  [key: string]: unknown;
  sessions: Record<'A' | 'B', Record<string, unknown>>;
  permutations: Array<Record<string, unknown>>;
}

/** A small valid spec, as the parsed YAML; each case below breaks one thing in a copy of it. */
const validSpec = (): Spec => ({
  id: 'X1',
  name: 'example',
  description: 'Two sessions read and write one row.',
  setup: 'create table t (id int primary key, v int); insert into t values (1, 10);',
  sessions: {
    A: { 'a-begin': 'begin', 'a-write': 'update t set v = 11 where id = 1', 'a-commit': 'commit' },
    B: { 'b-begin': 'begin', 'b-read': 'select id, v from t', 'b-commit': 'commit' },
  },
  permutations: [
    {
      steps: ['a-begin', 'b-begin', 'a-write', 'b-read', 'a-commit', 'b-commit'],
      'anomaly-if': [{ step: 'b-read', returns: [{ id: 1, v: 11 }] }, { committed: ['A', 'B'] }],
    },
  ],
  published: { source: 'a paper', 'read-committed': 'prevented' },
});

const errorOf = (change: (spec: Spec) => void): SpecError => {
  const spec = validSpec();
  change(spec);
  try {
    parseSpec(stringify(spec), 'specs/x1-example.yaml');
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw error;
  }
  throw new Error('the spec was accepted');
};

const firstPermutation = (spec: Spec) => spec.permutations[0] ?? {};

describe('parseSpec', () => {
  it('reads a valid spec: sessions and steps in file order, conditions, published verdicts', () => {
    const spec = parseSpec(stringify(validSpec()), 'specs/x1-example.yaml');
    expect(spec.sessions.map((session) => session.name)).toEqual(['A', 'B']);
    expect(spec.sessions[0]?.steps.map((step) => step.name)).toEqual(['a-begin', 'a-write', 'a-commit']);
    expect(spec.sessions[1]?.steps[1]).toEqual({ name: 'b-read', session: 'B', sql: 'select id, v from t' });
    expect(spec.permutations[0]?.name).toBe('permutation 1');
    expect(spec.permutations[0]?.anomalyIf).toEqual([
      { kind: 'step-returns', step: 'b-read', rows: [{ id: 1, v: 11 }] },
      { kind: 'committed', sessions: ['A', 'B'] },
    ]);
    expect(spec.published).toEqual({ source: 'a paper', verdicts: { 'read-committed': 'prevented' } });
  });

  // Each: what is broken, what the message must name (besides the file), the step it concerns.
  it.each<[string, (spec: Spec) => void, RegExp, string | undefined]>([
    [
      'a permutation naming a step that no session has',
      (spec) => {
        firstPermutation(spec).steps = ['a-begin', 'b-begin', 'a-wirte', 'b-read', 'a-commit', 'b-commit'];
      },
      /permutation 1, steps: unknown step "a-wirte"\. Accepted: the steps a-begin, a-write, a-commit, b-begin/,
      'a-wirte',
    ],
    [
      'a step whose SQL is not a string',
      (spec) => {
        spec.sessions.A['a-write'] = ['update t set v = 11'];
      },
      /step "a-write" \(session A\): must be a non-empty string, not a list\. Accepted: a string of SQL/,
      'a-write',
    ],
    [
      'a condition on a step that the permutation does not run',
      (spec) => {
        firstPermutation(spec)['anomaly-if'] = [{ step: 'a-gone', returns: [] }];
      },
      /permutation 1, anomaly-if item 1: step "a-gone" is not in this permutation\. Accepted: one of a-begin, b-begin/,
      'a-gone',
    ],
    [
      'a step that no permutation runs',
      (spec) => {
        spec.sessions.B['b-extra'] = 'select 1';
      },
      /step "b-extra": is run by no permutation\. Accepted: every step in at least one permutation/,
      'b-extra',
    ],
    [
      'two sessions with a step of the same name',
      (spec) => {
        spec.sessions.B['a-write'] = 'select 1';
      },
      /step "a-write" \(session B\): is also a step of session A\. Accepted: step names unique in a file/,
      'a-write',
    ],
    [
      'a step twice in one permutation',
      (spec) => {
        firstPermutation(spec).steps = [
          'a-begin',
          'b-begin',
          'a-write',
          'a-write',
          'b-read',
          'a-commit',
          'b-commit',
        ];
      },
      /permutation 1, steps: step "a-write" appears twice\. Accepted: each step once/,
      'a-write',
    ],
    [
      'expected rows that are not a list of mappings',
      (spec) => {
        firstPermutation(spec)['anomaly-if'] = [{ step: 'b-read', returns: [[1, 11]] }];
      },
      /anomaly-if item 1, returns, row 1: must be a mapping, not a list\. Accepted: a list of rows, each a mapping of column name/,
      'b-read',
    ],
    [
      'an unknown top-level key',
      (spec) => {
        spec.sesions = spec.sessions;
      },
      /the file: unknown key "sesions"\. Accepted: the keys id, name, description, setup, sessions, permutations, published/,
      undefined,
    ],
    [
      'a single session',
      (spec) => {
        delete (spec.sessions as Partial<Spec['sessions']>).B;
      },
      /sessions: has 1, but an anomaly needs concurrency\. Accepted: a mapping of session name to a mapping of step name to SQL \(at least two sessions\)/,
      undefined,
    ],
    [
      'a condition of no known form',
      (spec) => {
        firstPermutation(spec)['anomaly-if'] = [{ step: 'b-read', equals: [] }];
      },
      /anomaly-if item 1: has the keys \[equals,step\], which is none of the condition forms\. Accepted: \{ step: <step name>, returns: \[rows\] \}, \{ committed: \[<session names>\] \} or \{ query: <SQL>, returns: \[rows\] \}/,
      undefined,
    ],
    [
      'committed naming an unknown session',
      (spec) => {
        firstPermutation(spec)['anomaly-if'] = [{ committed: ['A', 'C'] }];
      },
      /anomaly-if item 1, committed: unknown session "C"\. Accepted: a list of session names: A, B/,
      undefined,
    ],
    [
      'a published verdict that is not one',
      (spec) => {
        spec.published = { source: 'a paper', serializable: 'safe' };
      },
      /published, serializable: is string "safe"\. Accepted: prevented or possible/,
      undefined,
    ],
    [
      'a published level that does not exist',
      (spec) => {
        spec.published = { source: 'a paper', snapshot: 'prevented' };
      },
      /published: unknown key "snapshot"\. Accepted: the keys source, read-committed, repeatable-read, serializable/,
      undefined,
    ],
  ])('rejects %s, naming the file, where, and what is accepted', (_, change, message, step) => {
    const error = errorOf(change);
    expect(error.message.startsWith('specs/x1-example.yaml: ')).toBe(true);
    expect(error.message).toMatch(message);
    expect(error.file).toBe('specs/x1-example.yaml');
    expect(error.step).toBe(step);
  });

  it('rejects text that is not YAML, with the parser’s line', () => {
    expect(() => parseSpec('id: [unclosed\nname: x', 'broken.yaml')).toThrow(
      /^broken\.yaml: the file: is not valid YAML \(.*line \d+/,
    );
  });
});

describe('loading spec files', () => {
  it('names the path of a malformed file and the step at fault', () => {
    const file = join(fixtures, 'malformed', 'unknown-step.yaml');
    expect(() => loadSpecFile(file)).toThrow(SpecError);
    expect(() => loadSpecFile(file)).toThrow(
      `${file}: permutation "lost-commit", steps: unknown step "t1-comit". Accepted: the steps t1-begin, t1-commit, t2-begin, t2-commit`,
    );
  });

  it('refuses two specs with the same id in one folder, naming both files', () => {
    expect(() => loadSpecDirectory(join(fixtures, 'duplicate-ids'))).toThrow(
      /b-copy\.yaml: id: "DUP" is also the id of .*a-original\.yaml/,
    );
  });

  it('loads every spec shipped in specs/, in file-name order', () => {
    const specs = loadSpecDirectory();
    expect(specs.length).toBeGreaterThanOrEqual(10);
    expect(specs.map((spec) => spec.file)).toEqual(specs.map((spec) => spec.file).sort());
  });
});
