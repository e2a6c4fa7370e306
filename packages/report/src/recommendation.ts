import type { Cell, LabRow, ReportMatrix } from './cell-summary.ts';
import { topViolationsText, VERDICT_TEXT } from './cell-text.ts';
import type { K6Run } from './k6-summary.ts';
import { countOf, formatMs, formatNumber, formatShare } from './number-format.ts';
import type { LabInfo, ReportDocument } from './report-schema.ts';

// "Which one should I pick?", as data: every sentence of it comes from the measured runs, and both
// renderers lay it out. A strategy is recommended in a situation only when nothing measured there
// showed it unsafe; faults, when a comparison runs them, will add their runs to the same evidence.

/** The situations a reader may be in: what they have, and so which strategies they can use. */
export type SituationId = 'postgres' | 'postgres-replicas' | 'postgres-redis-locks' | 'redis-store';

export interface Situation {
  readonly id: SituationId;
  readonly title: string;
  /** One sentence: what the reader has. */
  readonly assumes: string;
  /** Several app processes share the state: protection in one process's memory is no protection. */
  readonly replicas: boolean;
  /** Whether a lab that needs these services belongs here. */
  readonly fits: (needs: readonly string[]) => boolean;
  /** The situation without this one's extra infrastructure, whose first pick is worth holding against these. */
  readonly without?: { readonly situation: SituationId; readonly what: string };
}

const only = (needs: readonly string[], allowed: readonly string[]) =>
  needs.every((need) => allowed.includes(need));

/** The four situations, in the order the section shows them. */
export const SITUATIONS: readonly Situation[] = [
  {
    id: 'postgres',
    title: 'Only Postgres, one app process',
    assumes: 'Your data is in Postgres and a single process of your app changes it.',
    replicas: false,
    fits: (needs) => needs.includes('postgres') && only(needs, ['postgres']),
  },
  {
    id: 'postgres-replicas',
    title: 'Only Postgres, several app replicas',
    assumes: 'Your data is in Postgres and several processes (replicas) of your app change it at once.',
    replicas: true,
    fits: (needs) => needs.includes('postgres') && only(needs, ['postgres']),
  },
  {
    id: 'postgres-redis-locks',
    title: 'Redis available: Postgres as the store of record, Redis for locks',
    assumes:
      'Your data stays in Postgres; Redis (one server, or independent nodes for Redlock) holds locks for several app replicas.',
    replicas: true,
    fits: (needs) => needs.includes('postgres') && (needs.includes('redis') || needs.includes('redlock')),
    without: { situation: 'postgres-replicas', what: 'Redis' },
  },
  {
    id: 'redis-store',
    title: 'Redis as the store of record',
    assumes: 'Your data itself lives in Redis, changed by several app replicas.',
    replicas: true,
    fits: (needs) => !needs.includes('postgres') && needs.includes('redis'),
  },
];

/** A safe strategy of a situation, ranked, with its measurements per scenario and what it costs. */
export interface RankedStrategy {
  /** 1 for the first. */
  readonly rank: number;
  readonly row: LabRow;
  /** Its cell per scenario of the matrix, where it ran. */
  readonly cells: readonly Cell[];
  /**
   * Throughput as a share of the fastest safe strategy of the situation, per scenario, combined
   * over the scenarios by a geometric mean (so no scenario's size outweighs another's): 1 for the fastest.
   */
  readonly relativeThroughput: number;
  /** What using it costs, measured: retries, lock waits, operations given up on, infrastructure. */
  readonly costs: readonly string[];
}

/** A strategy that is not recommended in a situation, and why. */
export interface Rejection {
  readonly row: LabRow;
  readonly why: string;
}

export interface SituationAdvice {
  readonly situation: Situation;
  /** The safe strategies, fastest first. */
  readonly ranked: readonly RankedStrategy[];
  /** Strategies that showed a violation here, or that cannot be safe here. */
  readonly unsafe: readonly Rejection[];
  /** Strategies nothing decided: unknown outcomes, or runs that could not be carried out. */
  readonly undecided: readonly Rejection[];
  /** Why nothing is recommended, when nothing is. */
  readonly none: string | undefined;
  /** The first pick of the same setup without this situation's extra infrastructure (Postgres alone, for Redis locks). */
  readonly without:
    | { readonly situation: Situation; readonly what: string; readonly best: RankedStrategy }
    | undefined;
}

/** What this report can say about one row in one situation. */
type Judgement = { readonly kind: 'safe' } | { readonly kind: 'unsafe' | 'undecided'; readonly why: string };

/** A k6 run over several replicas (said so, or the replicas scenario, which is one by definition). */
const overReplicas = (run: K6Run) => (run.replicas !== null ? run.replicas > 1 : run.scenario === 'replicas');

/** `UNSAFE on withdraw-storm (lost-update 58 operations)`. */
const unsafeCellText = (cell: Cell) =>
  `${VERDICT_TEXT.unsafe} on ${cell.scenario} (${topViolationsText(cell)})`;

const judge = (
  situation: Situation,
  row: LabRow,
  info: LabInfo | undefined,
  cells: readonly Cell[],
  errors: number,
  k6: readonly K6Run[],
): Judgement => {
  // Every reason is given: a mutex that broke over HTTP also keeps its lock in one process.
  const reasons: string[] = [];
  if (situation.replicas && info?.processLocal === true)
    reasons.push(
      'its protection lives in one process’s memory: each replica has its own, so across replicas it protects nothing',
    );
  reasons.push(...cells.filter((cell) => cell.verdict === 'unsafe').map(unsafeCellText));
  // A lab that declares itself unsafe and passed was lucky, not correct.
  const lucky = cells.filter((cell) => cell.expectation === 'unsafe' && cell.verdict !== 'unsafe');
  if (lucky.length > 0)
    reasons.push(
      `its lab declares it unsafe on ${lucky.map((cell) => cell.scenario).join(', ')}; it held there by luck`,
    );
  const k6Broken = k6.filter(
    (run) =>
      run.lab === row.lab &&
      (situation.replicas || !overReplicas(run)) &&
      (run.valid === false || run.violations.some((v) => v.count > 0)),
  );
  reasons.push(
    ...k6Broken.map(
      (run) =>
        `${VERDICT_TEXT.unsafe} over HTTP in ${run.file}${run.replicas ? ` (${countOf(run.replicas, 'replicas')})` : ''}`,
    ),
  );
  if (reasons.length > 0) return { kind: 'unsafe', why: reasons.join('; ') };
  if (situation.replicas && info?.processLocal === undefined)
    return {
      kind: 'undecided',
      why: 'this report (format 1) does not record whether its protection lives in one process',
    };
  const unknown = cells.filter((cell) => cell.verdict === 'unknown');
  if (unknown.length > 0)
    return {
      kind: 'undecided',
      why: `${VERDICT_TEXT.unknown} on ${unknown.map((c) => c.scenario).join(', ')}: operations of unknown outcome`,
    };
  if (errors > 0) return { kind: 'undecided', why: `${countOf(errors, 'runs')} could not be carried out` };
  if (cells.length === 0) return { kind: 'undecided', why: 'no run of it' };
  return { kind: 'safe' };
};

const geometricMean = (values: readonly number[]) =>
  values.length === 0 ? 0 : Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);

/** Fail reasons that mean the strategy gave up under contention, not a correct refusal. */
const GAVE_UP = ['conflict_retries_exhausted', 'lock_unavailable', 'quorum_unavailable', 'deadlock'];

/** What using the strategy costs, from its cells: the worst cell of each kind of cost is named. */
const costsOf = (
  info: LabInfo | undefined,
  cells: readonly Cell[],
  redlockNodes: number | null,
): string[] => {
  const costs: string[] = [];
  const most = (pick: (cell: Cell) => number) =>
    cells.reduce<Cell | undefined>(
      (best, cell) => (pick(cell) > (best ? pick(best) : 0) ? cell : best),
      undefined,
    );
  const retried = most((cell) => cell.retriesPerOp.median);
  if (retried)
    costs.push(
      `${formatNumber(retried.retriesPerOp.median)} retries per operation on ${retried.scenario} (${formatNumber(retried.attemptsPerOk.median)} attempts per ok)`,
    );
  const waited = most((cell) => cell.lockWaitPerOpMs.median);
  if (waited) {
    const p99 = waited.lockWaitP99Ms ? `, p99 ${formatMs(waited.lockWaitP99Ms.median)} ms` : '';
    const share = waited.lockWaitShare ? `, ${formatShare(waited.lockWaitShare.median)} of latency` : '';
    costs.push(
      `waits ${formatMs(waited.lockWaitPerOpMs.median)} ms per operation for a lock on ${waited.scenario}${p99}${share}`,
    );
  }
  for (const cell of cells) {
    const gaveUp = GAVE_UP.map((reason) => [reason, cell.failByReason[reason]?.median ?? 0] as const).filter(
      ([, n]) => n > 0,
    );
    if (gaveUp.length > 0)
      costs.push(
        `gave up on ${gaveUp.map(([reason, n]) => `${formatNumber(n)} ${reason}`).join(', ')} on ${cell.scenario}`,
      );
  }
  const needs = info?.needs ?? [];
  if (needs.includes('redlock'))
    costs.push(
      `${redlockNodes === null ? 'several' : formatNumber(redlockNodes)} independent Redis nodes for the Redlock quorum`,
    );
  else if (needs.includes('redis') && needs.includes('postgres')) costs.push('a Redis server for the locks');
  else if (needs.includes('redis'))
    costs.push('Redis holds the data: its persistence and failover are its durability');
  // "Measured": a lock taken inside Postgres (a row lock) is not timed by every lab yet.
  if (costs.length === 0) costs.push('no retries, no lock waits measured');
  return costs;
};

/**
 * "Which one should I pick?": for each situation, the strategies that held there ranked by
 * throughput (then p99), what each costs, and the ones that broke or cannot be safe there. Only
 * what this report measured counts; k6 summaries beside it add their verdicts.
 */
export const recommend = (
  report: ReportDocument,
  matrix: ReportMatrix,
  k6: readonly K6Run[] = [],
): SituationAdvice[] => {
  const advice = SITUATIONS.map((situation) => adviseOn(situation, report, matrix, k6));
  return advice.map((a) => {
    const other = a.situation.without;
    const base = other && advice.find((b) => b.situation.id === other.situation);
    const best = base?.ranked[0];
    return base && best && other
      ? { ...a, without: { situation: base.situation, what: other.what, best } }
      : a;
  });
};

const adviseOn = (
  situation: Situation,
  report: ReportDocument,
  matrix: ReportMatrix,
  k6: readonly K6Run[],
): SituationAdvice => {
  const rows = matrix.rows.filter((row) =>
    situation.fits(report.labs.find((lab) => lab.name === row.lab)?.needs ?? []),
  );
  const judged = rows.map((row) => {
    const info = report.labs.find((lab) => lab.name === row.lab);
    const cells = matrix.scenarios.flatMap((s) => matrix.cell(row.key, s) ?? []);
    const errors = matrix.scenarios.reduce((n, s) => n + matrix.errors(row.key, s).length, 0);
    return { row, info, cells, judgement: judge(situation, row, info, cells, errors, k6) };
  });
  const safe = judged.filter((j) => j.judgement.kind === 'safe');
  // Each strategy is measured against the best safe one on each scenario, then over the scenarios.
  const relative = (cells: readonly Cell[], pick: (cell: Cell) => number, higherIsBetter: boolean) =>
    geometricMean(
      cells.map((cell) => {
        const values = safe.flatMap((j) => j.cells.filter((c) => c.scenario === cell.scenario).map(pick));
        const top = higherIsBetter ? Math.max(...values) : Math.min(...values);
        const value = pick(cell);
        if (value === top) return 1;
        // 0 ops/s is the worst throughput there is; a log needs it above 0.
        return higherIsBetter ? Math.max(value, 1e-9) / top : Math.max(top, 1e-9) / value;
      }),
    );
  const ranked = safe
    .map((j) => ({
      ...j,
      throughputScore: relative(j.cells, (cell) => cell.throughput.median, true),
      p99Score: relative(j.cells, (cell) => cell.p99.median, false),
    }))
    .sort((a, b) => b.throughputScore - a.throughputScore || b.p99Score - a.p99Score)
    .map(
      (j, i): RankedStrategy => ({
        rank: i + 1,
        row: j.row,
        cells: j.cells,
        relativeThroughput: j.throughputScore,
        costs: costsOf(j.info, j.cells, report.environment.redlockNodes ?? null),
      }),
    );
  const rejected = (kind: 'unsafe' | 'undecided') =>
    judged.flatMap(({ row, judgement }) =>
      judgement.kind === kind ? [{ row, why: (judgement as { why: string }).why }] : [],
    );
  const none =
    ranked.length > 0
      ? undefined
      : rows.length === 0
        ? 'No strategy for this situation was compared (add one with --labs).'
        : 'No strategy measured here was safe in this situation: none can be recommended.';
  return {
    situation,
    ranked,
    unsafe: rejected('unsafe'),
    undecided: rejected('undecided'),
    none,
    without: undefined,
  };
};

/** `625 ops/s · p99 69 ms`: a ranked strategy's numbers on one scenario. */
export const cellMeasureText = (cell: Cell): string =>
  `${formatNumber(cell.throughput.median)} ops/s · p99 ${formatMs(cell.p99.median)} ms`;

/** `Without Redis, the first pick of “Only Postgres, several app replicas” was update-returning (…).` */
export const withoutText = (without: NonNullable<SituationAdvice['without']>): string =>
  `Without ${without.what}, the first pick of “${without.situation.title}” was ${without.best.row.label} (${without.best.cells
    .map((cell) => `${cell.scenario}: ${cellMeasureText(cell)}`)
    .join('; ')}; ${without.best.costs.join('; ')}).`;

/** How the section ranks, in one sentence for the top of it. */
export const RECOMMENDATION_METHOD =
  'Written from the runs of this report: a strategy is recommended in a situation only when every run of it there was SAFE and its lab declares it safe there; ' +
  'the safe ones are ranked by throughput (ops/s as a share of the fastest on each scenario, combined over the scenarios), then by p99 latency. ' +
  'Fastest per store: each situation is ranked among the strategies it can use.';
