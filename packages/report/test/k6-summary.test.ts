import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { k6Details, k6ResultText, k6RunFrom, k6Verdict, readK6Summaries } from '../src/index.ts';
import { FIXTURE_K6 } from './report-fixture.ts';

describe('readK6Summaries', () => {
  it("reads the k6 scenarios' own summary and k6's flat export, finding lab and scenario in the file or its name", async () => {
    const { runs, problems } = await readK6Summaries([FIXTURE_K6], ['naive', 'mutex', 'update-returning']);
    expect(problems).toEqual([]);
    const [flat, own] = runs;
    expect(own).toEqual({
      file: 'withdraw-storm-update-returning.json',
      lab: 'update-returning',
      scenario: 'withdraw-storm',
      replicas: 1,
      // The summary's own numbers (the scenario's requests, the load phase), not k6's http_reqs.
      requests: 10_000,
      requestsPerSec: 1959.2,
      durationMs: 5104.2,
      latencyMs: { p50: 388.5, p95: 702.9, p99: 951.3, max: 1210.7 },
      thresholds: [
        { metric: 'lab_unexpected_status', expression: 'count==0', ok: true },
        { metric: 'lab_violations', expression: 'count==0', ok: true },
      ],
      statuses: { '200': 5000, '409': 5000 },
      counters: {
        lab_ok: 5000,
        lab_fail_insufficient_funds: 5000,
        lab_status_200: 5000,
        lab_status_409: 5000,
      },
      violations: [],
      valid: true,
      checked: true,
      expectation: 'safe',
      matchesExpectation: true,
    });
    expect(own && k6Verdict(own)).toBe('SAFE');
    expect(own && k6Details(own)).toEqual(['5,000 × 200', '5,000 × 409']);
    expect(flat).toMatchObject({
      file: 'replicas-mutex.json',
      lab: 'mutex',
      scenario: 'replicas',
      requests: 40,
      latencyMs: { p50: 55.3, p95: 151.7, p99: null },
      statuses: null,
      violations: [{ kind: 'invariant_violations', count: 4 }],
      thresholds: [{ metric: 'invariant_violations', expression: 'count==0', ok: false }],
      valid: null,
      checked: true,
    });
    expect(flat && k6Verdict(flat)).toBe('UNSAFE');
    expect(flat && k6ResultText(flat)).toBe('UNSAFE, 1 threshold failed');
  });

  it('takes the verdict of a summary that has one', async () => {
    const { runs } = await readK6Summaries([FIXTURE_K6], []);
    const own = runs[1];
    if (!own) throw new Error('fixture missing');
    expect(k6Verdict({ ...own, valid: false, violations: [] })).toBe('UNSAFE');
    expect(k6Verdict({ ...own, valid: 'unknown' })).toBe('UNKNOWN');
    // A slow run is not an unsafe one: the verdict stays SAFE, and the failed threshold is said beside it.
    const slow = { ...own, thresholds: [{ metric: 'lab_op_duration', expression: 'p(99)<1000', ok: false }] };
    expect(k6Verdict(slow)).toBe('SAFE');
    expect(k6ResultText(slow)).toBe('SAFE, 1 threshold failed, as expected');
  });

  it('calls a run that nothing checked UNKNOWN, and one whose violation counter stayed at 0 SAFE', () => {
    const unchecked = k6RunFrom('flash-sale-naive.json', { metrics: { http_reqs: { count: 30 } } }, [
      'naive',
    ]);
    expect(unchecked.checked).toBe(false);
    expect(k6Verdict(unchecked)).toBe('UNKNOWN');
    const clean = k6RunFrom(
      'flash-sale-naive.json',
      { metrics: { http_reqs: { count: 30 }, invariant_violations: { count: 0 } } },
      ['naive'],
    );
    expect(k6Verdict(clean)).toBe('SAFE');
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
