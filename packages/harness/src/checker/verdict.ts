import type { LedgerEntry, State } from '@concurrency-lab/model';
import type { ExpectedOutcome } from '../generator/scenario.ts';
import type { History } from '../history/op.ts';
import {
  type MagnitudeUnit,
  VIOLATION_KINDS,
  type ViolationKind,
  type ViolationKindName,
} from './violation-kinds.ts';

/**
 * One kind of broken promise: how many events (`count`, of what `counts` says), the amount involved
 * where one applies (`magnitude`), and one concrete example (the operations involved).
 */
export interface Violation {
  readonly kind: ViolationKindName;
  readonly count: number;
  readonly counts: ViolationKind['counts'];
  readonly magnitude?: { readonly amount: number; readonly unit: MagnitudeUnit };
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

/** Collects violations by kind: each `add` is one event; the first example is kept, the rest are counted. */
export class ViolationTally {
  readonly #byKind = new Map<ViolationKindName, { count: number; amount: number; example: string }>();
  #undecided = false;

  /** One event of `kind`; `amount` adds to its magnitude (for the kinds that have one). */
  add(kind: ViolationKindName, example: string, amount = 0): void {
    const seen = this.#byKind.get(kind);
    if (seen) {
      seen.count += 1;
      seen.amount += amount;
    } else this.#byKind.set(kind, { count: 1, amount, example });
  }

  /** Marks the verdict as undecided when nothing is violated. */
  undecided(): void {
    this.#undecided = true;
  }

  verdict(): Verdict {
    const violations = [...this.#byKind].map(([kind, v]): Violation => {
      const { counts, magnitude } = VIOLATION_KINDS[kind] as ViolationKind;
      return {
        kind,
        count: v.count,
        counts,
        ...(magnitude ? { magnitude: { amount: v.amount, unit: magnitude } } : {}),
        example: v.example,
      };
    });
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
