import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { k6Verdict, readK6Summaries } from '../src/index.ts';
import { FIXTURE_K6 } from './report-fixture.ts';

describe('readK6Summaries', () => {
  it('reads both summary shapes and finds lab and scenario in the file or its name', async () => {
    const { runs, problems } = await readK6Summaries([FIXTURE_K6], ['naive', 'mutex', 'update-returning']);
    expect(problems).toEqual([]);
    const [flat, full] = runs;
    expect(full).toMatchObject({
      file: 'withdraw-storm-update-returning.json',
      lab: 'update-returning',
      scenario: 'withdraw-storm',
      replicas: 1,
      requests: 10_000,
      requestsPerSec: 1918.4,
      durationMs: 5212.6,
      latencyMs: { p50: 388.5, p95: 702.9, p99: 951.3, max: 1210.7 },
      violations: 0,
      counters: {
        outcome_ok: 5000,
        outcome_insufficient_funds: 5000,
        unexpected_status: 0,
        invariant_violations: 0,
      },
    });
    expect(full && k6Verdict(full)).toBe('PASSED');
    expect(flat).toMatchObject({
      file: 'replicas-mutex.json',
      lab: 'mutex',
      scenario: 'replicas',
      latencyMs: { p50: 55.3, p95: 151.7, p99: null },
      violations: 4,
      thresholds: [{ metric: 'invariant_violations', expression: 'count==0', ok: false }],
    });
    expect(flat && k6Verdict(flat)).toBe('UNSAFE');
  });

  it('skips missing folders and reports files that are not summaries', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'k6-'));
    await writeFile(join(dir, 'broken.json'), '{ not json');
    await writeFile(join(dir, 'other.json'), '{"metrics": 3}');
    await writeFile(join(dir, 'notes.txt'), 'ignored');
    const { runs, problems } = await readK6Summaries([join(dir, 'missing'), dir], []);
    expect(runs).toEqual([]);
    expect(problems.map((p) => p.file)).toEqual([join(dir, 'broken.json'), join(dir, 'other.json')]);
    expect(problems[1]?.problem).toMatch(/^not a k6 summary \(metrics: /);
  });
});
