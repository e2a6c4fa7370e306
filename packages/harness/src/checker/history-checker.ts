import { changesOf, describeOp, type History, type Op, reportedValues } from '../history/op.ts';
import { type Checker, ViolationTally } from './verdict.ts';

/** An ok op and the value it reports for one subject. */
interface Report {
  readonly op: Op;
  readonly value: number;
}

/**
 * What each ok change reports, by subject, for subjects whose value only ever goes down: none that
 * an ok or unknown operation raised (a deposit, the credit of a transfer), where a value may recur.
 */
const decreasingSubjects = (history: History): Map<string, Report[]> => {
  const bySubject = new Map<string, Report[]>();
  const rising = new Set<string>();
  for (const op of history) {
    if (!op.outcome || op.outcome.type === 'fail') continue;
    for (const change of changesOf(op.request)) if (change.delta > 0) rising.add(change.subject);
    for (const { subject, value } of reportedValues(op)) {
      const reports = bySubject.get(subject) ?? [];
      reports.push({ op, value });
      bySubject.set(subject, reports);
    }
  }
  for (const subject of rising) bySubject.delete(subject);
  return bySubject;
};

/**
 * Checks the history alone, where a subject's value only goes down (withdrawals, reservations,
 * basket lines):
 * - lost update: two ok operations report the same resulting value, so one overwrote the other;
 * - real-time order: if A completed before B was invoked, A must report the higher value.
 */
export const historyChecker: Checker = {
  name: 'history',
  check({ history }) {
    const tally = new ViolationTally();
    for (const reports of decreasingSubjects(history).values()) {
      const firstByValue = new Map<number, Op>();
      for (const { op, value } of reports) {
        const first = firstByValue.get(value);
        if (first)
          tally.add('lost-update', `${describeOp(first)} and ${describeOp(op)} report the same value`);
        else firstByValue.set(value, op);
      }
      // Sweep: B in invocation order; A in completion order. Keep the lowest value of all A that
      // completed before B began; if that is still below B's, B reports a value that was already gone.
      const byCompletion = [...reports].sort((a, b) => (a.op.completedAt ?? 0) - (b.op.completedAt ?? 0));
      const byInvocation = [...reports].sort((a, b) => a.op.invokedAt - b.op.invokedAt);
      let lowest: Report | undefined;
      let next = 0;
      for (const b of byInvocation) {
        while (next < byCompletion.length && (byCompletion[next]?.op.completedAt ?? 0) < b.op.invokedAt) {
          const a = byCompletion[next++] as Report;
          if (!lowest || a.value < lowest.value) lowest = a;
        }
        if (lowest && lowest.value < b.value) {
          tally.add(
            'real-time-order',
            `${describeOp(lowest.op)} completed before ${describeOp(b.op)} began, yet reports a lower value`,
          );
        }
      }
    }
    return tally.verdict();
  },
};
