import { InvalidArgumentError } from 'commander';

/** A mistake in how the command was called: printed without a stack, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const integerParser =
  (min: number, max: number, what: string) =>
  (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new InvalidArgumentError(
        `${JSON.stringify(raw)} is not accepted: ${what} must be an integer from ${min} to ${max}.`,
      );
    }
    return value;
  };

/** For --concurrency, --seed, --repeat: whole numbers of at least 1. */
export const positiveInteger = (what: string, max = 1_000_000) => integerParser(1, max, what);

/** For --race-window-ms: 0 means "do not widen the race". */
export const nonNegativeInteger = (what: string, max = 60_000) => integerParser(0, max, what);

/** Names a list of valid values, for messages about an unknown one. */
export const oneOf = (kind: string, given: string, valid: readonly string[]): UsageError =>
  new UsageError(`unknown ${kind} ${JSON.stringify(given)}; valid ${kind}s: ${valid.join(', ')}`);
