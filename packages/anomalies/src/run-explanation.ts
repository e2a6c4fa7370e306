import type { ConditionCheck } from './condition-check.ts';
import type { PermutationTrace, StepOutcome } from './trace.ts';

// in_failed_sql_transaction: what the server answers to every statement after an error, until the
// transaction ends. It is a consequence, reported with the failure that caused it.
const AFTER_FAILURE = '25P02';

/** A refused statement, or a COMMIT turned into a rollback: what follows a failure in a transaction. */
const isConsequence = (outcome: StepOutcome): boolean =>
  outcome.type === 'error' ? outcome.sqlstate === AFTER_FAILURE : outcome.commands.includes('ROLLBACK');

/** What the steps that went on after their session's transaction had failed were answered. */
class Aftermath {
  readonly refused: string[] = [];
  readonly rolledBack: string[] = [];

  describe(session: string): string | undefined {
    const parts = [
      ...(this.refused.length > 0 ? [`refused ${this.refused.join(', ')} (${AFTER_FAILURE})`] : []),
      ...(this.rolledBack.length > 0 ? [`answered ${this.rolledBack.join(', ')} with ROLLBACK`] : []),
    ];
    return parts.length === 0
      ? undefined
      : `${session}'s transaction had failed, so the server ${parts.join(' and ')}`;
  }
}

/**
 * Why a permutation ended as it did, in sentences drawn from its trace: which step waited for whom
 * and until what, which failed with which SQLSTATE, and what each condition observed.
 */
export const explainRun = (trace: PermutationTrace, checks: readonly ConditionCheck[]): string[] => {
  const waits = new Map<string, string[]>();
  const failed = new Set<string>();
  const aftermath = new Map<string, Aftermath>();
  const lines: string[] = [];
  for (const event of trace.events) {
    if (event.type === 'blocked') {
      waits.set(event.step, [...(waits.get(event.step) ?? []), event.by.join(' and ')]);
      continue;
    }
    if (event.type !== 'completed') continue;
    const { outcome, session, step } = event;
    if (failed.has(session) && isConsequence(outcome)) {
      const after = aftermath.get(session) ?? new Aftermath();
      aftermath.set(session, after);
      (outcome.type === 'error' ? after.refused : after.rolledBack).push(step);
      continue;
    }
    const waited = waits.get(step);
    if (!waited && outcome.type === 'ok') continue;
    let line = step;
    if (waited)
      line += ` waited for ${waited.join(', then for ')}${event.after ? ` until ${event.after}` : ''}`;
    if (outcome.type === 'error') {
      failed.add(session);
      line += `${waited ? ', then' : ''} failed with ${outcome.sqlstate} (${outcome.message})`;
    }
    lines.push(line);
  }
  for (const [session, after] of aftermath) {
    const line = after.describe(session);
    if (line) lines.push(line);
  }
  // Only what was observed: the conditions themselves are stated with the spec.
  const unmet = checks.filter((check) => !check.met);
  const shown = unmet.length === 0;
  lines.push(
    `anomaly ${shown ? '' : 'not '}shown: ${(shown ? checks : unmet).map((check) => check.observed).join('; ')}`,
  );
  return lines;
};
