import { labNamed, labNames } from '@concurrency-lab/labs';
import type { Lab } from '@concurrency-lab/model';
import type { Option } from 'commander';
import { type ChosenLab, labOptionsFrom } from '../lab-options.ts';
import { oneOf, UsageError } from '../usage-error.ts';

/** A lab of a comparison once per variant, and the options it ran at more than one value. */
export interface LabVariants {
  readonly lab: Lab;
  readonly variants: readonly ChosenLab[];
  /** Options whose value differs between the variants: each row's label names them. */
  readonly varied: readonly string[];
}

/** The values of `--name a,b` in the order given, each once; a usage error for an empty list. */
const listed = (name: string, raw: unknown): string[] => {
  const values = [
    ...new Set(
      String(raw)
        .split(',')
        .map((value) => value.trim()),
    ),
  ].filter(Boolean);
  if (values.length === 0) throw new UsageError(`--${name} needs at least one value (comma-separated)`);
  return values;
};

/** Every combination of one value per option: `{a: [1, 2], b: [x]}` → `[{a: 1, b: x}, {a: 2, b: x}]`. */
const combinations = (lists: readonly (readonly [string, readonly string[]])[]): Record<string, string>[] =>
  lists.reduce<Record<string, string>[]>(
    (done, [name, values]) => done.flatMap((combo) => values.map((value) => ({ ...combo, [name]: value }))),
    [{}],
  );

/**
 * The variants of each named lab a comparison runs: one per combination of the values given for
 * its options (`--isolation read-committed,serializable --retry-limit 0,200` gives four
 * pg-transaction rows), and a choice option that was not given at every one of its choices
 * (pg-transaction at all three isolation levels), since a choice changes what the lab is. Other
 * options keep their defaults. A flag that none of the labs takes, or a value that a lab does not
 * accept, is a usage error that names what is accepted.
 */
export const labVariants = (
  names: readonly string[],
  flags: Map<string, Option>,
  parsed: Readonly<Record<string, unknown>>,
): LabVariants[] => {
  const labs = names.map((name) => {
    const lab = labNamed(name);
    if (!lab) throw oneOf('lab', name, labNames());
    return lab;
  });
  const given = new Map<string, string[]>();
  for (const [name, option] of flags) {
    const raw = parsed[option.attributeName()];
    if (raw === undefined) continue;
    if (!labs.some((lab) => name in (lab.options ?? {})))
      throw new UsageError(`--${name} applies to none of the labs compared (${names.join(', ')})`);
    given.set(name, listed(name, raw));
  }
  return labs.map((lab) => {
    const lists = Object.entries(lab.options ?? {}).flatMap(([name, spec]) => {
      const values = given.get(name) ?? (spec.kind === 'choice' ? [...spec.choices] : undefined);
      return values ? [[name, values] as const] : [];
    });
    const own = new Map([...flags].filter(([name]) => name in (lab.options ?? {})));
    const variants = combinations(lists).map((combo) => {
      const values = Object.fromEntries(
        [...own].map(([name, option]) => [option.attributeName(), combo[name]]),
      );
      try {
        return { lab, options: labOptionsFrom(lab, own, values) };
      } catch (error) {
        // The option's own message says what is accepted; the lab's name says who refused it.
        throw error instanceof UsageError ? new UsageError(`${lab.name}: ${error.message}`) : error;
      }
    });
    return { lab, variants, varied: lists.filter(([, values]) => values.length > 1).map(([name]) => name) };
  });
};
