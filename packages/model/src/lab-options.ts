import type { Lab, LabOptionSpec, LabOptionValue, ResolvedLabOptions } from './lab.ts';

/** What a switch accepts: bare (`true` from a flag parser) or spelled out. */
const SWITCH_VALUES: readonly string[] = ['on', 'off', 'true', 'false'];

/** What an option accepts, as help and error texts say it: `a | b`, `1 to 600000`, or a bare switch. */
export const acceptedValues = (spec: LabOptionSpec): string =>
  spec.kind === 'choice'
    ? spec.choices.join(' | ')
    : spec.kind === 'integer'
      ? `${spec.min} to ${spec.max}`
      : 'a bare switch (off unless given)';

/** A lab option that was not accepted; the message names the option and what is accepted. */
export class LabOptionError extends Error {
  override readonly name = 'LabOptionError';
}

/**
 * Fills in defaults and validates the given options against the lab's specs: the one place options
 * are resolved, where a run is prepared. Throws LabOptionError for an unknown option or an
 * unaccepted value, naming what is accepted.
 */
export const resolveLabOptions = (
  lab: Lab,
  given: Readonly<Record<string, string | number | undefined>>,
): ResolvedLabOptions => {
  const specs = lab.options ?? {};
  const resolved: Record<string, LabOptionValue> = {};
  for (const name of Object.keys(given)) {
    if (given[name] !== undefined && !(name in specs)) {
      const known = Object.keys(specs);
      throw new LabOptionError(
        `lab ${lab.name} has no option --${name}; ${known.length ? `its options: ${known.map((k) => `--${k}`).join(', ')}` : 'it takes no options'}`,
      );
    }
  }
  for (const [name, spec] of Object.entries(specs)) {
    const raw = given[name];
    if (raw === undefined) {
      resolved[name] = spec.default;
    } else if (spec.kind === 'switch') {
      if (!SWITCH_VALUES.includes(String(raw))) {
        throw new LabOptionError(
          `--${name} is a switch: give it bare (on), or on or off; got ${String(raw)}`,
        );
      }
      resolved[name] = raw === 'off' || raw === 'false' ? 'off' : 'on';
    } else if (spec.kind === 'choice') {
      if (typeof raw !== 'string' || !spec.choices.includes(raw)) {
        throw new LabOptionError(`--${name} must be one of ${spec.choices.join(', ')}; got ${String(raw)}`);
      }
      resolved[name] = raw;
    } else {
      const value = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isSafeInteger(value) || value < spec.min || value > spec.max || String(raw).trim() === '') {
        throw new LabOptionError(
          `--${name} must be an integer from ${spec.min} to ${spec.max}; got ${String(raw)}`,
        );
      }
      resolved[name] = value;
    }
  }
  return resolved as ResolvedLabOptions;
};
