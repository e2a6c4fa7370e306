import type { LedgerEntry, State } from '@concurrency-lab/model';
import type { ExpectedOutcome } from '../generator/scenario.ts';
import type { History } from '../history/op.ts';

/** One kind of broken promise, counted, with one concrete example (the operations involved). */
export interface Violation {
  readonly kind: string;
  readonly count: number;
  readonly example: string;
}

/**
 * `true`: every check passed. `false`: at least one violation. `'unknown'`: no violation found, but
 * operations of unknown outcome (`info`) leave a check undecided.
 */
export interface Verdict {
  readonly valid: true | false | 'unknown';
  readonly violations: readonly Violation[];
}

/** Everything a checker may look at once a run is over. */
export interface RunInput {
  readonly initial: State;
  readonly final: State;
  readonly history: History;
  readonly ledger: readonly LedgerEntry[];
  readonly expected: ExpectedOutcome;
}

export interface Checker {
  readonly name: string;
  check(input: RunInput): Verdict;
}

/** Collects violations by kind: the first example is kept, the rest are counted. */
export class ViolationTally {
  readonly #byKind = new Map<string, { count: number; example: string }>();
  #undecided = false;

  add(kind: string, example: string, count = 1): void {
    const seen = this.#byKind.get(kind);
    if (seen) seen.count += count;
    else this.#byKind.set(kind, { count, example });
  }

  /** Marks the verdict as undecided when nothing is violated. */
  undecided(): void {
    this.#undecided = true;
  }

  verdict(): Verdict {
    const violations = [...this.#byKind].map(([kind, v]) => ({ kind, count: v.count, example: v.example }));
    return { valid: violations.length > 0 ? false : this.#undecided ? 'unknown' : true, violations };
  }
}

/** A merged verdict that keeps each checker's own result beside it, by checker name (as Jepsen's compose). */
export interface ComposedVerdict extends Verdict {
  readonly byChecker: Readonly<Record<string, Verdict>>;
}

/** Runs every checker; the merged verdict is false if any is false, unknown if any is unknown. */
export const composeCheckers = (...checkers: readonly Checker[]) => ({
  name: checkers.map((c) => c.name).join('+'),
  check(input: RunInput): ComposedVerdict {
    const byChecker = Object.fromEntries(checkers.map((c) => [c.name, c.check(input)]));
    const verdicts = Object.values(byChecker);
    const violations = verdicts.flatMap((v) => v.violations);
    const valid = verdicts.some((v) => v.valid === false)
      ? false
      : verdicts.some((v) => v.valid === 'unknown')
        ? 'unknown'
        : true;
    return { valid, violations, byChecker };
  },
});
