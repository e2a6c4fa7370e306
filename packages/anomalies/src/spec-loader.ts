import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  type AnomalySpec,
  type Condition,
  type Permutation,
  type PublishedResult,
  type Row,
  type SessionSpec,
  VERDICTS,
  type Verdict,
} from './anomaly-spec.ts';
import { ISOLATION_LEVELS, type IsolationLevel, isIsolationLevel } from './isolation-levels.ts';

/** A spec file that cannot be used: names the file, the step when it concerns one, and what is accepted. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  readonly file: string;
  readonly step: string | undefined;

  constructor(file: string, where: string, problem: string, accepted: string, step?: string) {
    super(`${file}: ${where}: ${problem}. Accepted: ${accepted}`);
    this.file = file;
    this.step = step;
  }
}

/** The ten Hermitage tests shipped with this package. */
export const BUILTIN_SPECS_DIR = fileURLToPath(new URL('../specs/', import.meta.url));

const TOP_KEYS = ['id', 'name', 'description', 'setup', 'sessions', 'permutations', 'published'];
const PERMUTATION_KEYS = ['name', 'steps', 'anomaly-if'];
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const NAME_RULE = 'letters, digits, "-" and "_", starting with a letter or digit';
const CONDITIONS =
  '{ step: <step name>, returns: [rows] }, { committed: [<session names>] } or { query: <SQL>, returns: [rows] }';
const ROWS = 'a list of rows, each a mapping of column name to a string, number, boolean or null';

type Mapping = Readonly<Record<string, unknown>>;

const isMapping = (value: unknown): value is Mapping =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): value is Row[string] =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/** Reads one file's parsed YAML into an AnomalySpec, failing on the first thing that is wrong. */
class SpecReader {
  readonly #file: string;

  constructor(file: string) {
    this.#file = file;
  }

  fail(where: string, problem: string, accepted: string, step?: string): never {
    throw new SpecError(this.#file, where, problem, accepted, step);
  }

  mapping(value: unknown, where: string, accepted: string): Mapping {
    if (!isMapping(value)) this.fail(where, `must be a mapping, not ${describe(value)}`, accepted);
    return value;
  }

  list(value: unknown, where: string, accepted: string): readonly unknown[] {
    if (!Array.isArray(value) || value.length === 0) {
      this.fail(where, `must be a non-empty list, not ${describe(value)}`, accepted);
    }
    return value;
  }

  onlyKeys(map: Mapping, keys: readonly string[], where: string): void {
    for (const key of Object.keys(map)) {
      if (!keys.includes(key)) this.fail(where, `unknown key "${key}"`, `the keys ${keys.join(', ')}`);
    }
  }

  text(value: unknown, where: string, accepted: string, step?: string): string {
    if (typeof value !== 'string' || value.trim() === '') {
      this.fail(where, `must be a non-empty string, not ${describe(value)}`, accepted, step);
    }
    return value.trim();
  }

  name(value: unknown, where: string): string {
    const name = this.text(value, where, NAME_RULE);
    if (!NAME.test(name)) this.fail(where, `"${name}" is not a valid name`, NAME_RULE);
    return name;
  }

  rows(value: unknown, where: string, step?: string): Row[] {
    if (!Array.isArray(value)) this.fail(where, `must be a list of rows, not ${describe(value)}`, ROWS, step);
    return value.map((row, index) => {
      const rowWhere = `${where}, row ${index + 1}`;
      if (!isMapping(row)) this.fail(rowWhere, `must be a mapping, not ${describe(row)}`, ROWS, step);
      for (const [column, cell] of Object.entries(row)) {
        if (!isScalar(cell)) this.fail(`${rowWhere}, column "${column}"`, `is ${describe(cell)}`, ROWS, step);
      }
      return row as Row;
    });
  }
}

const describe = (value: unknown): string => {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
};

const readSessions = (reader: SpecReader, value: unknown): SessionSpec[] => {
  const accepted = 'a mapping of session name to a mapping of step name to SQL (at least two sessions)';
  const sessions = reader.mapping(value, 'sessions', accepted);
  if (Object.keys(sessions).length < 2) {
    reader.fail(
      'sessions',
      `has ${Object.keys(sessions).length}, but an anomaly needs concurrency`,
      accepted,
    );
  }
  const seen = new Map<string, string>();
  return Object.entries(sessions).map(([session, steps]) => {
    reader.name(session, `session "${session}"`);
    const stepMap = reader.mapping(steps, `session ${session}`, 'a mapping of step name to SQL');
    if (Object.keys(stepMap).length === 0) {
      reader.fail(`session ${session}`, 'has no steps', 'a mapping of step name to SQL');
    }
    return {
      name: session,
      steps: Object.entries(stepMap).map(([step, sql]) => {
        const where = `step "${step}" (session ${session})`;
        reader.name(step, where);
        const other = seen.get(step);
        if (other)
          reader.fail(where, `is also a step of session ${other}`, 'step names unique in a file', step);
        seen.set(step, session);
        return { name: step, session, sql: reader.text(sql, where, 'a string of SQL', step) };
      }),
    };
  });
};

const readCondition = (
  reader: SpecReader,
  value: unknown,
  where: string,
  steps: readonly string[],
  sessions: ReadonlySet<string>,
): Condition => {
  const map = reader.mapping(value, where, CONDITIONS);
  const keys = Object.keys(map).sort().join(',');
  if (keys === 'returns,step') {
    const step = reader.text(map.step, `${where}, step`, 'a step name of this permutation');
    if (!steps.includes(step)) {
      reader.fail(where, `step "${step}" is not in this permutation`, `one of ${steps.join(', ')}`, step);
    }
    return { kind: 'step-returns', step, rows: reader.rows(map.returns, `${where}, returns`, step) };
  }
  if (keys === 'committed') {
    const accepted = `a list of session names: ${[...sessions].join(', ')}`;
    const named = reader
      .list(map.committed, `${where}, committed`, accepted)
      .map((session) => reader.text(session, `${where}, committed`, accepted));
    for (const session of named) {
      if (!sessions.has(session))
        reader.fail(`${where}, committed`, `unknown session "${session}"`, accepted);
    }
    return { kind: 'committed', sessions: named };
  }
  if (keys === 'query,returns') {
    const query = reader.text(map.query, `${where}, query`, 'a string of SQL');
    return { kind: 'query-returns', query, rows: reader.rows(map.returns, `${where}, returns`) };
  }
  return reader.fail(where, `has the keys [${keys}], which is none of the condition forms`, CONDITIONS);
};

const readPermutations = (reader: SpecReader, value: unknown, sessions: readonly SessionSpec[]) => {
  const accepted = `a list of { name?, steps: [step names], anomaly-if: [conditions] }`;
  const items = reader.list(value, 'permutations', accepted);
  const known = sessions.flatMap((session) => session.steps.map((step) => step.name));
  const sessionNames = new Set(sessions.map((session) => session.name));
  const permutations = items.map((item, index): Permutation => {
    const fallback = `permutation ${index + 1}`;
    const raw = reader.mapping(item, fallback, accepted);
    reader.onlyKeys(raw, PERMUTATION_KEYS, fallback);
    const name = raw.name === undefined ? fallback : reader.name(raw.name, `${fallback}, name`);
    const where = name === fallback ? fallback : `permutation "${name}"`;
    const steps: string[] = [];
    for (const [position, item] of reader
      .list(raw.steps, `${where}, steps`, 'a list of step names')
      .entries()) {
      const step = reader.text(item, `${where}, steps item ${position + 1}`, 'a step name');
      if (!known.includes(step)) {
        reader.fail(`${where}, steps`, `unknown step "${step}"`, `the steps ${known.join(', ')}`, step);
      }
      if (steps.includes(step))
        reader.fail(`${where}, steps`, `step "${step}" appears twice`, 'each step once', step);
      steps.push(step);
    }
    const conditions = reader.list(raw['anomaly-if'], `${where}, anomaly-if`, CONDITIONS);
    const anomalyIf = conditions.map((condition, position) =>
      readCondition(reader, condition, `${where}, anomaly-if item ${position + 1}`, steps, sessionNames),
    );
    return { name, steps, anomalyIf };
  });
  const names = permutations.map((permutation) => permutation.name);
  const repeated = names.find((name, index) => names.indexOf(name) !== index);
  if (repeated) reader.fail('permutations', `two are named "${repeated}"`, 'distinct permutation names');
  // A step that no permutation runs is almost always a typo in a permutation.
  for (const step of known) {
    if (!permutations.some((permutation) => permutation.steps.includes(step))) {
      reader.fail(
        `step "${step}"`,
        'is run by no permutation',
        'every step in at least one permutation',
        step,
      );
    }
  }
  return permutations;
};

const readPublished = (reader: SpecReader, value: unknown): PublishedResult | undefined => {
  if (value === undefined) return undefined;
  const accepted = `{ source: <text>, ${ISOLATION_LEVELS.map((level) => `${level}?: ${VERDICTS.join(' | ')}`).join(', ')} }`;
  const map = reader.mapping(value, 'published', accepted);
  reader.onlyKeys(map, ['source', ...ISOLATION_LEVELS], 'published');
  const verdicts: Partial<Record<IsolationLevel, Verdict>> = {};
  for (const [key, verdict] of Object.entries(map)) {
    if (!isIsolationLevel(key)) continue;
    if (!VERDICTS.includes(verdict as Verdict)) {
      reader.fail(`published, ${key}`, `is ${describe(verdict)}`, VERDICTS.join(' or '));
    }
    verdicts[key] = verdict as Verdict;
  }
  return { source: reader.text(map.source, 'published, source', 'a short text naming the source'), verdicts };
};

/** Validates the YAML text of one spec; `file` names it in every error. */
export const parseSpec = (text: string, file: string): AnomalySpec => {
  const reader = new SpecReader(file);
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    reader.fail('the file', `is not valid YAML (${(error as Error).message.split('\n')[0]})`, 'YAML');
  }
  const top = reader.mapping(document, 'the file', `a mapping with the keys ${TOP_KEYS.join(', ')}`);
  reader.onlyKeys(top, TOP_KEYS, 'the file');
  const sessions = readSessions(reader, top.sessions);
  const published = readPublished(reader, top.published);
  return {
    file,
    id: reader.name(top.id, 'id'),
    name: reader.text(top.name, 'name', 'a few words saying what goes wrong'),
    description: reader.text(top.description, 'description', 'a few sentences'),
    setup: top.setup === undefined ? '' : reader.text(top.setup, 'setup', 'a string of SQL'),
    sessions,
    permutations: readPermutations(reader, top.permutations, sessions),
    ...(published ? { published } : {}),
  };
};

/** Reads and validates one spec file. */
export const loadSpecFile = (file: string): AnomalySpec => parseSpec(readFileSync(file, 'utf8'), file);

/** Every `*.yaml` spec in a folder, in file-name order; two specs may not share an id. */
export const loadSpecDirectory = (dir: string = BUILTIN_SPECS_DIR): AnomalySpec[] => {
  const files = readdirSync(dir)
    .filter((file) => file.endsWith('.yaml'))
    .sort();
  const specs = files.map((file) => loadSpecFile(join(dir, file)));
  for (const spec of specs) {
    const first = specs.find((other) => other.id.toLowerCase() === spec.id.toLowerCase());
    if (first && first !== spec) {
      throw new SpecError(spec.file, 'id', `"${spec.id}" is also the id of ${first.file}`, 'one id per test');
    }
  }
  return specs;
};
