import { beforeAll, describe, expect, it } from 'vitest';
import {
  k6RunFrom,
  type ReportDocument,
  type ReportRun,
  readReportFile,
  recommend,
  renderMarkdownReport,
  type SituationAdvice,
  type SituationId,
  summarizeReport,
} from '../src/index.ts';
import { FIXTURE_REPORT, FIXTURE_REPORT_V1 } from './report-fixture.ts';

let fixture: ReportDocument;

beforeAll(async () => {
  fixture = (await readReportFile(FIXTURE_REPORT)).report;
});

const adviceFor = (report: ReportDocument, k6: Parameters<typeof recommend>[2] = []) => {
  const advice = recommend(report, summarizeReport(report), k6);
  return (id: SituationId): SituationAdvice => {
    const found = advice.find((a) => a.situation.id === id);
    if (!found) throw new Error(`no situation ${id}`);
    return found;
  };
};

const ranked = (advice: SituationAdvice) => advice.ranked.map((r) => r.row.label);
const unsafe = (advice: SituationAdvice) => advice.unsafe.map((r) => r.row.label);

/** The fixture with the runs that `pick` selects changed by `change`. */
const withRuns = (
  report: ReportDocument,
  pick: (run: ReportRun) => boolean,
  change: (result: ReportRun['result']) => ReportRun['result'],
): ReportDocument => ({
  ...report,
  runs: report.runs.map((run) => (pick(run) ? { ...run, result: change(run.result) } : run)),
});

const broken = (result: ReportRun['result']): ReportRun['result'] => ({
  ...result,
  verdict: {
    valid: false,
    violations: [
      { kind: 'lost-update', count: 2, counts: 'operations', example: 'two ok withdrawals reported 58' },
    ],
  },
});

describe('"Which one should I pick?" from the fixture', () => {
  it('never recommends a strategy that broke, and names why it is not safe there', () => {
    const on = adviceFor(fixture);
    for (const id of ['postgres', 'postgres-replicas'] as const) {
      expect(ranked(on(id))).not.toContain('naive');
      expect(ranked(on(id))).not.toContain('pg-transaction (isolation=read-committed)');
      expect(unsafe(on(id))).toEqual(
        expect.arrayContaining(['naive', 'pg-transaction (isolation=read-committed)']),
      );
      expect(on(id).unsafe.find((r) => r.row.label === 'naive')?.why).toMatch(
        /^UNSAFE on withdraw-storm \(lost-update [\d.]+/,
      );
    }
  });

  it('ranks per store: each situation holds only the strategies it can use', () => {
    const on = adviceFor(fixture);
    const postgresOnly = [
      'mutex',
      'pg-transaction (isolation=repeatable-read)',
      'pg-transaction (isolation=serializable)',
      'optimistic',
      'update-returning',
    ];
    expect([...ranked(on('postgres'))].sort()).toEqual([...postgresOnly].sort());
    expect(ranked(on('postgres-redis-locks'))).toEqual(['redlock']);
    expect(ranked(on('redis-store'))).toEqual(['redis-lua']);
    // The in-process mutex is safe in one process and unsafe across replicas, by what it is.
    expect(ranked(on('postgres-replicas'))).not.toContain('mutex');
    expect(on('postgres-replicas').unsafe.find((r) => r.row.label === 'mutex')?.why).toContain(
      'one process’s memory',
    );
  });

  it('ranks by throughput, relative to the fastest on each scenario', () => {
    const advice = adviceFor(fixture)('postgres');
    const scores = advice.ranked.map((r) => r.relativeThroughput);
    for (const score of scores) expect(score).toBeGreaterThan(0);
    for (const score of scores) expect(score).toBeLessThanOrEqual(1);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    // The first is at least as fast as each of the others on some scenario.
    const [first, ...rest] = advice.ranked;
    for (const other of rest) {
      const faster = first?.cells.some(
        (cell) =>
          cell.throughput.median >=
          (other.cells.find((c) => c.scenario === cell.scenario)?.throughput.median ?? 0),
      );
      expect(faster).toBe(true);
    }
    expect(advice.ranked.map((r) => r.rank)).toEqual(scores.map((_, i) => i + 1));
  });

  it('follows the throughput when it changes: the slowest made fastest comes first', () => {
    const last = adviceFor(fixture)('postgres').ranked.at(-1)?.row.label;
    expect(last).toBeDefined();
    const faster = withRuns(
      fixture,
      (run) => summarizeReport({ ...fixture, runs: [run] }).rows[0]?.label === last,
      (result) => ({ ...result, throughputOpsPerSec: result.throughputOpsPerSec * 1000 }),
    );
    const ranking = ranked(adviceFor(faster)('postgres'));
    expect(ranking[0]).toBe(last);
    expect(ranking).toHaveLength(5);
  });

  it('says what each costs: retries, lock waits, infrastructure', () => {
    const on = adviceFor(fixture);
    const costs = (id: SituationId, label: string) =>
      on(id)
        .ranked.find((r) => r.row.label === label)
        ?.costs.join('; ');
    expect(costs('postgres', 'update-returning')).toBe('no retries, no lock waits measured');
    expect(costs('postgres', 'optimistic')).toMatch(/^[\d.]+ retries per operation on /);
    expect(costs('postgres', 'mutex')).toMatch(
      /waits [\d.]+ ms per operation for a lock on .*, p99 .*% of latency/,
    );
    expect(costs('postgres-redis-locks', 'redlock')).toContain(
      '5 independent Redis nodes for the Redlock quorum',
    );
    // Redis locks are held against what Postgres alone does.
    expect(on('postgres-redis-locks').without?.best.row.label).toBe(ranked(on('postgres-replicas'))[0]);
  });
});

describe('"Which one should I pick?" when results change', () => {
  it('drops a strategy that broke in a single run, in every situation it belonged to', () => {
    const report = withRuns(
      fixture,
      (run) =>
        run.result.lab === 'update-returning' && run.result.scenario === 'flash-sale' && run.repetition === 2,
      broken,
    );
    const on = adviceFor(report);
    for (const id of ['postgres', 'postgres-replicas'] as const) {
      expect(ranked(on(id))).not.toContain('update-returning');
      expect(on(id).unsafe.find((r) => r.row.label === 'update-returning')?.why).toBe(
        'UNSAFE on flash-sale (lost-update 1 (0–2) operations)',
      );
    }
  });

  it('does not recommend a lab that declares itself unsafe, even when it held by luck', () => {
    const report = withRuns(
      fixture,
      (run) => run.result.lab === 'naive',
      (result) => ({ ...result, verdict: { valid: true, violations: [] }, matchesExpectation: false }),
    );
    const advice = adviceFor(report)('postgres');
    expect(ranked(advice)).not.toContain('naive');
    expect(advice.unsafe.find((r) => r.row.label === 'naive')?.why).toMatch(/declares it unsafe .* by luck/);
  });

  it('says so when no strategy was safe in a situation, and when none was compared', () => {
    const report = withRuns(fixture, (run) => run.result.lab === 'redis-lua', broken);
    const store = adviceFor(report)('redis-store');
    expect(store.ranked).toEqual([]);
    expect(store.none).toBe('No strategy measured here was safe in this situation: none can be recommended.');
    expect(unsafe(store)).toEqual(['redis-lua']);
    const page = renderMarkdownReport(report, {});
    expect(page).toContain(
      '**No strategy measured here was safe in this situation: none can be recommended.**',
    );

    const noRedlock = { ...fixture, runs: fixture.runs.filter((run) => run.result.lab !== 'redlock') };
    expect(adviceFor(noRedlock)('postgres-redis-locks').none).toBe(
      'No strategy for this situation was compared (add one with --labs).',
    );
  });

  it('takes an UNSAFE k6 run over replicas into the replicas situations only', () => {
    const k6 = k6RunFrom(
      'replicas-update-returning.json',
      { replicas: 3, metrics: { http_reqs: { count: 40 }, invariant_violations: { count: 2 } } },
      ['update-returning'],
    );
    const on = adviceFor(fixture, [k6]);
    expect(ranked(on('postgres'))).toContain('update-returning');
    expect(ranked(on('postgres-replicas'))).not.toContain('update-returning');
    expect(on('postgres-replicas').unsafe.find((r) => r.row.label === 'update-returning')?.why).toBe(
      'UNSAFE over HTTP in replicas-update-returning.json (3 replicas)',
    );
  });

  it('recommends nothing across replicas from a format 1 report, which did not record what is per process', async () => {
    const { report } = await readReportFile(FIXTURE_REPORT_V1);
    const replicas = adviceFor(report)('postgres-replicas');
    expect(replicas.ranked).toEqual([]);
    expect(replicas.undecided.map((r) => r.row.label)).toContain('mutex');
    expect(ranked(adviceFor(report)('postgres'))).toContain('mutex');
  });
});

describe('"Which one should I pick?" in report.md', () => {
  it('has the section with every situation, a ranked table, and the unsafe strategies', () => {
    const page = renderMarkdownReport(fixture, {});
    const section = page.slice(page.indexOf('## Which one should I pick?'), page.indexOf('## Details'));
    for (const title of [
      '### Only Postgres, one app process',
      '### Only Postgres, several app replicas',
      '### Redis available: Postgres as the store of record, Redis for locks',
      '### Redis as the store of record',
    ])
      expect(section).toContain(title);
    expect(section).toContain('| # | strategy | withdraw-storm | flash-sale | what it costs |');
    expect(section).toMatch(/\| 1 \| \S+.* \| [\d,.]+ ops\/s · p99 [\d,.]+ ms \|/);
    expect(section).toContain('- **naive**: UNSAFE on withdraw-storm');
    expect(section).toMatch(/Without Redis, the first pick of “Only Postgres, several app replicas” was /);
  });
});
