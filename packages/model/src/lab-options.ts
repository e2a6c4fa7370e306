import type { Lab, LabOptionValue, ResolvedLabOptions } from './lab.ts';

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
