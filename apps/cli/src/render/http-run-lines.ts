import { styleText } from 'node:util';
import type { CriteriaVerdict, OverHttp } from '@concurrency-lab/harness';
import { criteriaChecksText, formatCount } from '@concurrency-lab/report';

const mark = (passed: boolean) => (passed ? styleText('green', '✓') : styleText('yellow', '✗'));

/** `replica 1: 3 ok, 12 fail, 0 info`, one per replica, with the URL that served it. */
export const replicaLines = (http: OverHttp): string[] =>
  http.byReplica.map(
    (r) =>
      `  replica ${r.replica}: ${formatCount(r.ok)} ok, ${formatCount(r.fail)} fail, ${formatCount(r.info)} info  (${r.url})`,
  );

/** `(stress): 812 ops/s ≥ 100 ✓, mean 45 ms < 200 ✓, p99 310 ms < 1,000 ✓ — met`, after the label Criteria. */
export const criteriaText = (criteria: CriteriaVerdict): string =>
  `(${criteria.tier}): ${criteriaChecksText(criteria, mark)} — ${criteria.passed ? 'met' : 'missed (information: the verdict decides the exit code)'}`;
