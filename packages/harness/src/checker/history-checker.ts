import { describeOp, type History, type Op, reportedValue, subjectOf } from '../history/op.ts';
import { type Checker, ViolationTally } from './verdict.ts';

/** Ok changes per subject, for subjects whose value only ever goes down (no ok or unknown deposit). */
const decreasingSubjects = (history: History): Map<string, Op[]> => {
  const bySubject = new Map<string, Op[]>();
  const rising = new Set<string>();
  for (const op of history) {
    const kind = op.request.kind;
    if (kind === 'read' || !op.outcome || op.outcome.type === 'fail') continue;
    const subject = subjectOf(op.request);
    if (kind === 'deposit') rising.add(subject);
    else if (op.outcome.type === 'ok') {
      const ops = bySubject.get(subject) ?? [];
      ops.push(op);
      bySubject.set(subject, ops);
    }
  }
  for (const subject of rising) bySubject.delete(subject);
  return bySubject;
};

/**
 * Checks the history alone, where a subject's value only goes down (withdrawals, reservations):
 * - lost update: two ok operations report the same resulting value, so one overwrote the other;
 * - real-time order: if A completed before B was invoked, A must report the higher value.
 */
export const historyChecker: Checker = {
  name: 'history',
  check({ history }) {
    const tally = new ViolationTally();
    for (const ops of decreasingSubjects(history).values()) {
      const firstByValue = new Map<number, Op>();
      for (const op of ops) {
        const value = reportedValue(op) as number;
        const first = firstByValue.get(value);
        if (first)
          tally.add('lost-update', `${describeOp(first)} and ${describeOp(op)} report the same value`);
        else firstByValue.set(value, op);
      }
      // Sweep: B in invocation order; A in completion order. Keep the lowest value of all A that
      // completed before B began; if that is still below B's, B reports a value that was already gone.
      const byCompletion = [...ops].sort((a, b) => (a.completedAt ?? 0) - (b.completedAt ?? 0));
      const byInvocation = [...ops].sort((a, b) => a.invokedAt - b.invokedAt);
      let lowest: Op | undefined;
      let next = 0;
      for (const b of byInvocation) {
        while (next < byCompletion.length && (byCompletion[next]?.completedAt ?? 0) < b.invokedAt) {
          const a = byCompletion[next++] as Op;
          if (!lowest || (reportedValue(a) as number) < (reportedValue(lowest) as number)) lowest = a;
        }
        if (lowest && (reportedValue(lowest) as number) < (reportedValue(b) as number)) {
          tally.add(
            'real-time-order',
            `${describeOp(lowest)} completed before ${describeOp(b)} began, yet reports a lower value`,
          );
        }
      }
    }
    return tally.verdict();
  },
};
