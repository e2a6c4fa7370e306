import type { Condition, Permutation } from './anomaly-spec.ts';
import { formatRows, sameRows } from './rows.ts';
import { completionOf, type PermutationTrace, type StepOutcome, type TraceEvent } from './trace.ts';

/** One condition of a permutation, held against what the run did. */
export interface ConditionCheck {
  readonly condition: Condition;
  readonly met: boolean;
  /** What the run gave, in words: "t2-read-1 returned (id=1, balance=10)". */
  readonly observed: string;
}

/** The condition in words, as the spec states it. */
export const describeCondition = (condition: Condition): string => {
  switch (condition.kind) {
    case 'step-returns':
      return `${condition.step} returns ${formatRows(condition.rows)}`;
    case 'committed':
      return `${condition.sessions.join(' and ')} commit`;
    case 'query-returns':
      return `afterwards "${condition.query}" returns ${formatRows(condition.rows)}`;
  }
};

const answered = (what: string, outcome: StepOutcome | undefined): string => {
  if (!outcome) return `${what} never finished`;
  if (outcome.type === 'error') {
    // 25P02 only echoes an earlier failure, which the explanation names.
    if (outcome.sqlstate === '25P02')
      return `${what} was refused (25P02: its transaction had already failed)`;
    return `${what} failed with ${outcome.sqlstate} (${outcome.message})`;
  }
  return `${what} returned ${formatRows(outcome.rows)}`;
};

type Completed = Extract<TraceEvent, { type: 'completed' }>;

/** Whether the server confirmed a COMMIT of this session, and its last answer when it did not. */
const commitOf = (trace: PermutationTrace, session: string): { committed: boolean; last?: Completed } => {
  const completed = trace.events.filter(
    (event): event is Completed => event.type === 'completed' && event.session === session,
  );
  const committed = completed.some(
    (event) => event.outcome.type === 'ok' && event.outcome.commands.includes('COMMIT'),
  );
  return { committed, ...(completed.length > 0 ? { last: completed.at(-1) } : {}) };
};

const checkCommitted = (
  trace: PermutationTrace,
  sessions: readonly string[],
): Omit<ConditionCheck, 'condition'> => {
  const results = sessions.map((session) => ({ session, ...commitOf(trace, session) }));
  const missing = results.filter((result) => !result.committed);
  if (missing.length === 0) return { met: true, observed: `${sessions.join(' and ')} committed` };
  const why = missing.map(({ session, last }) => {
    if (!last) return `${session} ran no step`;
    if (last.outcome.type === 'error')
      return `${session} did not commit (${last.step} failed with ${last.outcome.sqlstate})`;
    return `${session} did not commit (${last.step} answered ${last.outcome.commands.join(', ')})`;
  });
  return { met: false, observed: why.join('; ') };
};

const checkCondition = (condition: Condition, trace: PermutationTrace): ConditionCheck => {
  switch (condition.kind) {
    case 'step-returns': {
      const outcome = completionOf(trace, condition.step)?.outcome;
      const met = outcome?.type === 'ok' && sameRows(outcome.rows, condition.rows);
      return { condition, met, observed: answered(condition.step, outcome) };
    }
    case 'committed':
      return { condition, ...checkCommitted(trace, condition.sessions) };
    case 'query-returns': {
      const outcome = trace.queries.find((query) => query.query === condition.query)?.outcome;
      const met = outcome?.type === 'ok' && sameRows(outcome.rows, condition.rows);
      return { condition, met, observed: answered('the final query', outcome) };
    }
  }
};

/** Each of the permutation's conditions, met or not, with what was observed. */
export const checkConditions = (permutation: Permutation, trace: PermutationTrace): ConditionCheck[] =>
  permutation.anomalyIf.map((condition) => checkCondition(condition, trace));
