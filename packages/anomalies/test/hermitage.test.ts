import { beforeAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../src/anomaly-spec.ts';
import { type AnomalyCell, runAnomalySuite, type SuiteResult } from '../src/anomaly-suite.ts';
import { ISOLATION_LEVELS, type IsolationLevel } from '../src/isolation-levels.ts';
import { loadSpecDirectory } from '../src/spec-loader.ts';
import { completionOf, type PermutationTrace } from '../src/trace.ts';

const url = process.env.LAB_DATABASE_URL as string;

/**
 * Hermitage's published summary for PostgreSQL (its README's table; tests run by hand on 9.3.5):
 * ✓ there is `prevented`, — is `possible`. Written out here, apart from the specs' own `published`
 * fields, so that a spec edited to agree with a different server cannot make this test agree too.
 */
const HERMITAGE_POSTGRES: Record<string, Record<IsolationLevel, Verdict>> = {
  G0: { 'read-committed': 'prevented', 'repeatable-read': 'prevented', serializable: 'prevented' },
  G1a: { 'read-committed': 'prevented', 'repeatable-read': 'prevented', serializable: 'prevented' },
  G1b: { 'read-committed': 'prevented', 'repeatable-read': 'prevented', serializable: 'prevented' },
  G1c: { 'read-committed': 'prevented', 'repeatable-read': 'prevented', serializable: 'prevented' },
  OTV: { 'read-committed': 'prevented', 'repeatable-read': 'prevented', serializable: 'prevented' },
  PMP: { 'read-committed': 'possible', 'repeatable-read': 'prevented', serializable: 'prevented' },
  P4: { 'read-committed': 'possible', 'repeatable-read': 'prevented', serializable: 'prevented' },
  'G-single': { 'read-committed': 'possible', 'repeatable-read': 'prevented', serializable: 'prevented' },
  'G2-item': { 'read-committed': 'possible', 'repeatable-read': 'possible', serializable: 'prevented' },
  G2: { 'read-committed': 'possible', 'repeatable-read': 'possible', serializable: 'prevented' },
};

const specs = loadSpecDirectory();
let suite: SuiteResult;

beforeAll(async () => {
  suite = await runAnomalySuite({ url, specs, levels: ISOLATION_LEVELS, stepTimeoutMs: 10_000 });
}, 60_000);

const cellOf = (id: string, level: IsolationLevel): AnomalyCell => {
  const cell = suite.anomalies
    .find((anomaly) => anomaly.spec.id === id)
    ?.cells.find((c) => c.level === level);
  if (!cell) throw new Error(`no cell for ${id} at ${level}`);
  return cell;
};

const traceOf = (id: string, level: IsolationLevel, permutation?: string): PermutationTrace => {
  const cell = cellOf(id, level);
  const run = permutation
    ? cell.permutations.find((p) => p.permutation === permutation)
    : cell.permutations[0];
  if (!run) throw new Error(`no permutation ${permutation} for ${id}`);
  return run.trace;
};

/** How a step ended: its blockers as recorded, its answer, and the step that released it. */
const stepOf = (trace: PermutationTrace, step: string) => {
  const blocked = trace.events.find((event) => event.type === 'blocked' && event.step === step);
  const completed = completionOf(trace, step);
  return {
    blockedBy: blocked?.type === 'blocked' ? blocked.by : [],
    answer:
      completed?.outcome.type === 'ok' ? completed.outcome.commands.join(',') : completed?.outcome.sqlstate,
    rows: completed?.outcome.type === 'ok' ? completed.outcome.rows : undefined,
    after: completed?.after,
  };
};

describe('the Hermitage suite on this Postgres', () => {
  it('has the ten anomalies, in the order of Hermitage’s table, each publishing Hermitage’s PostgreSQL result', () => {
    // Other specs (a user's own) may sit among them; the ten must be there, in this order.
    const ten = specs.filter((spec) => spec.id in HERMITAGE_POSTGRES);
    expect(ten.map((spec) => spec.id)).toEqual(Object.keys(HERMITAGE_POSTGRES));
    expect(Object.fromEntries(ten.map((spec) => [spec.id, spec.published?.verdicts]))).toEqual(
      HERMITAGE_POSTGRES,
    );
  });

  const cells = Object.entries(HERMITAGE_POSTGRES).flatMap(([id, verdicts]) =>
    ISOLATION_LEVELS.map((level) => [id, level, verdicts[level]] as const),
  );
  it.each(cells)('%s at %s: %s, as Hermitage published', (id, level, published) => {
    const cell = cellOf(id, level);
    expect(cell.verdict, cell.permutations.flatMap((run) => run.explanation).join('\n')).toBe(published);
    expect(cell.published).toBe(published);
  });

  it('explains every cell from what the server did, ending with what the conditions observed', () => {
    for (const anomaly of suite.anomalies) {
      for (const cell of anomaly.cells) {
        for (const run of cell.permutations) {
          expect(run.explanation.at(-1)).toMatch(
            run.verdict === 'possible' ? /^anomaly shown: / : /^anomaly not shown: /,
          );
        }
      }
    }
  });

  // How each level prevents (or lets through) the anomaly: the mechanism, not only the verdict.
  it('G0: the second writer blocks on T1’s row lock; read committed then overwrites, repeatable read aborts it (40001)', () => {
    expect(stepOf(traceOf('G0', 'read-committed'), 't2-write-1')).toMatchObject({
      blockedBy: ['T1'],
      answer: 'UPDATE',
      after: 't1-commit',
    });
    for (const level of ['repeatable-read', 'serializable'] as const) {
      expect(stepOf(traceOf('G0', level), 't2-write-1')).toMatchObject({
        blockedBy: ['T1'],
        answer: '40001',
        after: 't1-commit',
      });
    }
    expect(cellOf('G0', 'repeatable-read').permutations[0]?.explanation[0]).toBe(
      't2-write-1 waited for T1 until t1-commit, then failed with 40001 (could not serialize access due to concurrent update)',
    );
  });

  it('P4: read committed lets the blocked writer overwrite after T1 commits; repeatable read aborts it with 40001', () => {
    expect(stepOf(traceOf('P4', 'read-committed'), 't2-write-1')).toMatchObject({
      blockedBy: ['T1'],
      answer: 'UPDATE',
    });
    expect(stepOf(traceOf('P4', 'read-committed'), 't2-commit').answer).toBe('COMMIT');
    expect(stepOf(traceOf('P4', 'repeatable-read'), 't2-write-1')).toMatchObject({
      blockedBy: ['T1'],
      answer: '40001',
    });
    expect(stepOf(traceOf('P4', 'repeatable-read'), 't2-commit').answer).toBe('ROLLBACK');
  });

  it('G-single: read committed reads the committed transfer mid-transaction; repeatable read keeps its snapshot', () => {
    expect(stepOf(traceOf('G-single', 'read-committed'), 't1-read-2').rows).toEqual([{ id: 2, balance: 18 }]);
    expect(stepOf(traceOf('G-single', 'repeatable-read'), 't1-read-2').rows).toEqual([
      { id: 2, balance: 20 },
    ]);
  });

  it('PMP: the write-predicate delete blocks on T1 at every level; only repeatable read and above abort it', () => {
    expect(stepOf(traceOf('PMP', 'read-committed', 'write-predicate'), 't2-delete-20')).toMatchObject({
      blockedBy: ['T1'],
      answer: 'DELETE',
    });
    expect(stepOf(traceOf('PMP', 'repeatable-read', 'write-predicate'), 't2-delete-20')).toMatchObject({
      blockedBy: ['T1'],
      answer: '40001',
    });
  });

  it.each(['G2-item', 'G2'])(
    '%s: nothing blocks; snapshot isolation commits both, serializable aborts one with 40001',
    (id) => {
      for (const level of ISOLATION_LEVELS) {
        expect(traceOf(id, level).events.filter((event) => event.type === 'blocked')).toEqual([]);
      }
      expect(stepOf(traceOf(id, 'repeatable-read'), 't2-commit').answer).toBe('COMMIT');
      const failures = traceOf(id, 'serializable').events.flatMap((event) =>
        event.type === 'completed' && event.outcome.type === 'error' ? [event.outcome.sqlstate] : [],
      );
      // Where the server notices the cycle (a write or a commit) may vary between versions; that it does, not.
      expect(failures).toContain('40001');
    },
  );
});
