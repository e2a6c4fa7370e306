import { LABS } from '@concurrency-lab/catalog';
import { type Lab, LabOptionError, type LabOptionValue, resolveLabOptions } from '@concurrency-lab/model';
import { type Command, Option } from 'commander';
import { UsageError } from '../usage-error.ts';

/**
 * Adds a `--<name>` flag for every option any lab declares (e.g. --isolation), so that
 * `lab run` and `lab compare` accept them; which lab accepts which is checked when resolving.
 */
export const addLabOptionFlags = (command: Command): Map<string, Option> => {
  const flags = new Map<string, Option>();
  for (const lab of LABS) {
    for (const [name, spec] of Object.entries(lab.options ?? {})) {
      if (flags.has(name)) continue;
      const accepted = spec.kind === 'choice' ? spec.choices.join(' | ') : `${spec.min} to ${spec.max}`;
      const option = new Option(
        `--${name} <value>`,
        `${spec.description} (${lab.name}; ${accepted}; default ${spec.default})`,
      );
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
): Record<string, LabOptionValue> => {
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
