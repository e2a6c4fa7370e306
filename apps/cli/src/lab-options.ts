import { LABS, labNamed, labNames } from '@concurrency-lab/labs';
import {
  acceptedValues,
  type Lab,
  LabOptionError,
  type ResolvedLabOptions,
  resolveLabOptions,
} from '@concurrency-lab/model';
import { type Command, Option } from 'commander';
import { oneOf, UsageError } from './usage-error.ts';

/**
 * The help of a flag that several labs share: every lab that takes it, and the default of each,
 * grouped where they agree — `(pg-transaction, optimistic: default 20; redis-lock: 2; 0 to 60000)`.
 */
const sharedFlagHelp = (name: string, labs: readonly Lab[]): string => {
  const specs = labs.flatMap((lab) => {
    const spec = lab.options?.[name];
    return spec ? [{ lab: lab.name, spec }] : [];
  });
  const first = specs[0]?.spec;
  if (!first) return '';
  const byDefault = new Map<string, string[]>();
  for (const { lab, spec } of specs)
    byDefault.set(String(spec.default), [...(byDefault.get(String(spec.default)) ?? []), lab]);
  const defaults = [...byDefault].map(
    ([value, names], i) => `${names.join(', ')}: ${i === 0 ? 'default ' : ''}${value}`,
  );
  if (first.kind === 'switch')
    return `${first.description} (${specs.map((s) => s.lab).join(', ')}; off unless given)`;
  return `${first.description} (${defaults.join('; ')}; ${acceptedValues(first)})`;
};

/**
 * Adds a `--<name>` flag for every option any lab declares (e.g. --isolation), so that
 * `lab run` and `lab compare` accept them; which lab accepts which is checked when resolving.
 */
export const addLabOptionFlags = (
  command: Command,
  { switchLists = false }: { readonly switchLists?: boolean } = {},
): Map<string, Option> => {
  const flags = new Map<string, Option>();
  for (const lab of LABS) {
    for (const name of Object.keys(lab.options ?? {})) {
      if (flags.has(name)) continue;
      // A switch is given bare (`--fencing`); every other option takes a value. A comparison also
      // takes a switch's values as a list (`--fencing off,on`), one row each.
      const bare = lab.options?.[name]?.kind === 'switch';
      const spelling = bare ? (switchLists ? `--${name} [on|off,…]` : `--${name}`) : `--${name} <value>`;
      const option = new Option(spelling, sharedFlagHelp(name, LABS));
      flags.set(name, option);
      command.addOption(option);
    }
  }
  return flags;
};

/** The lab's options from the parsed flags, defaults filled in; a usage error for a bad value. */
export const labOptionsFrom = (
  lab: Lab,
  flags: Map<string, Option>,
  parsed: Readonly<Record<string, unknown>>,
): ResolvedLabOptions => {
  const given: Record<string, string | undefined> = {};
  for (const [name, option] of flags) {
    const value = parsed[option.attributeName()];
    if (value !== undefined) given[name] = String(value);
  }
  try {
    return resolveLabOptions(lab, given);
  } catch (error) {
    if (error instanceof LabOptionError) throw new UsageError(error.message);
    throw error;
  }
};

/** The distinct names of a comma-separated list such as `--labs a,b`; a usage error when empty. */
export const namesFrom = (raw: string, flag: string): string[] => {
  const names = [...new Set(raw.split(',').map((name) => name.trim()))].filter(Boolean);
  if (names.length === 0) throw new UsageError(`${flag} needs at least one name (comma-separated)`);
  return names;
};

/** A lab chosen for a command, with the options it runs with. */
export interface ChosenLab {
  readonly lab: Lab;
  readonly options: ResolvedLabOptions;
}

/**
 * The named labs, each with only the lab-option flags it declares resolved. A flag that none of
 * them takes is a usage error (`--isolation` with no pg-transaction), as is an unknown lab name.
 * `purpose` completes the message: "applies to none of the labs <purpose>".
 */
export const chooseLabs = (
  names: readonly string[],
  flags: Map<string, Option>,
  parsed: Readonly<Record<string, unknown>>,
  purpose: string,
): ChosenLab[] => {
  const labs = names.map((name) => {
    const lab = labNamed(name);
    if (!lab) throw oneOf('lab', name, labNames());
    return lab;
  });
  for (const [name, option] of flags) {
    if (parsed[option.attributeName()] !== undefined && !labs.some((lab) => name in (lab.options ?? {}))) {
      throw new UsageError(`--${name} applies to none of the labs ${purpose} (${names.join(', ')})`);
    }
  }
  return labs.map((lab) => {
    const own = new Map([...flags].filter(([name]) => name in (lab.options ?? {})));
    return { lab, options: labOptionsFrom(lab, own, parsed) };
  });
};
