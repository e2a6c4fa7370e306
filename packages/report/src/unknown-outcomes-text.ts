import type { UnknownOutcomes } from '@concurrency-lab/harness';
import { formatCount } from './number-format.ts';

/** "37 unknown: 21 had taken effect, 16 had not", as the run's output and the report say it. */
export const unknownOutcomesText = ({ unknown, applied, notApplied, unresolved }: UnknownOutcomes): string =>
  unknown === 0
    ? 'no unknown outcomes'
    : `${formatCount(unknown)} unknown: ${formatCount(applied)} had taken effect, ${formatCount(notApplied)} had not` +
      (unresolved > 0 ? `, ${formatCount(unresolved)} in part (see ledger violations)` : '');
