import { styleText } from 'node:util';
import type { CriteriaVerdict, OverHttp } from '@concurrency-lab/harness';
import { formatCount, formatMs } from '@concurrency-lab/report';

const mark = (passed: boolean) => (passed ? styleText('green', '✓') : styleText('yellow', '✗'));

/** `replica 1: 3 ok, 12 fail, 0 info`, one per replica, with the URL that served it. */
export const replicaLines = (http: OverHttp): string[] =>
  http.byReplica.map(
    (r) =>
      `  replica ${r.replica}: ${formatCount(r.ok)} ok, ${formatCount(r.fail)} fail, ${formatCount(r.info)} info  (${r.url})`,
  );

/** `criteria: 812 ops/s ≥ 100 ✓, mean 45 ms < 200 ✓, p99 310 ms < 1000 ✓` (stress or basic marks). */
export const criteriaLine = (criteria: CriteriaVerdict): string => {
  const parts = criteria.checks.map((c) =>
    c.measure === 'throughput'
      ? `${formatCount(c.actual)} ops/s ≥ ${formatCount(c.limit)} ${mark(c.passed)}`
      : `${c.measure} ${formatMs(c.actual)} ms < ${formatCount(c.limit)} ${mark(c.passed)}`,
  );
  const summary = criteria.passed ? 'met' : 'missed (information: the verdict decides the exit code)';
  return `criteria (${criteria.tier}): ${parts.join(', ')} — ${summary}`;
};
