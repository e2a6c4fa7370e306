import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Claim, type Comparison, claimText } from './claim-parser.ts';

/** What one command did: its exit code, its output and the folder it ran in. */
export interface CommandResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly folder: string;
  /** How long the command took, start-up included (reported, never asserted). */
  readonly seconds: number;
}

/** A claim that did not hold, with what was found instead. */
export interface BrokenClaim {
  readonly claim: string;
  readonly found: string;
}

const compare = (actual: unknown, op: Comparison, expected: unknown): boolean => {
  switch (op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    default: {
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (op === '<') return actual < expected;
      if (op === '<=') return actual <= expected;
      if (op === '>') return actual > expected;
      return actual >= expected;
    }
  }
};

/** The command's stdout as JSON, when it printed one JSON document (`--json`). */
const jsonOf = (stdout: string): unknown => {
  try {
    return JSON.parse(stdout);
  } catch {
    return undefined;
  }
};

const at = (value: unknown, path: string): unknown => {
  let current = value;
  for (const [, key, index] of path.matchAll(/\.([\w-]+)|\[(\d+)\]/g)) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key ?? (index as string)];
  }
  return current;
};

/** `lab run`'s verdict word: the report's `Verdict` line, or `verdict.valid` of its JSON. */
const verdictOf = (stdout: string, json: unknown): string | undefined => {
  const valid = at(json, '.verdict.valid');
  if (valid === true) return 'SAFE';
  if (valid === false) return 'UNSAFE';
  if (valid === 'unknown') return 'UNKNOWN';
  return /^Verdict\s+(SAFE|UNSAFE|UNKNOWN)\b/m.exec(stdout)?.[1];
};

/**
 * An outcome count of `lab run`: from its JSON, or from the report's outcome table (its `actual`
 * column, on the row `ok`, `fail: <reason>` or `info (unknown)`). A fail reason with no row is 0.
 */
const countOf = (stdout: string, json: unknown, outcome: string): number | undefined => {
  if (json !== undefined) {
    if (outcome === 'ok' || outcome === 'info') return at(json, `.counts.${outcome}`) as number | undefined;
    const fails = at(json, '.counts.fail');
    return fails === undefined ? undefined : ((at(fails, `.${outcome}`) as number | undefined) ?? 0);
  }
  const lines = stdout.split('\n');
  if (!lines.some((line) => /^\s+outcome\s+expected\s+actual\s*$/.test(line))) return undefined;
  const label = outcome === 'ok' ? 'ok' : outcome === 'info' ? 'info (unknown)' : `fail: ${outcome}`;
  for (const line of lines) {
    const cells = line.trim().split(/\s{2,}/);
    if (cells[0] === label) return Number((cells.at(-1) as string).replace(/,/g, ''));
  }
  return 0;
};

/** The violation kinds `lab run` reported: its JSON's, or the names listed under "Violations". */
const violationsOf = (stdout: string, json: unknown): string[] | undefined => {
  const listed = at(json, '.verdict.violations');
  if (Array.isArray(listed)) return listed.map((v) => String((v as { kind?: unknown }).kind));
  const lines = stdout.split('\n');
  const start = lines.indexOf('Violations');
  if (start < 0) return undefined;
  const kinds: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    const kind = /^ {2}([a-z][a-z-]*)(\s{2}|$)/.exec(line)?.[1];
    if (kind && kind !== 'none') kinds.push(kind);
  }
  return kinds;
};

const tail = (text: string) => (text.length > 300 ? `…${text.slice(-300)}` : text);

/** Whether one claim holds for the result; undefined when it does, else what was found. */
const brokenBy = (claim: Claim, result: CommandResult): string | undefined => {
  const json = jsonOf(result.stdout);
  switch (claim.kind) {
    case 'exit':
      return result.status === claim.code ? undefined : `exit ${result.status}`;
    case 'verdict': {
      const verdict = verdictOf(result.stdout, json);
      return verdict === claim.verdict
        ? undefined
        : verdict
          ? `verdict ${verdict}`
          : 'no verdict in the output';
    }
    case 'count': {
      const count = countOf(result.stdout, json, claim.outcome);
      if (count === undefined) return 'no outcome counts in the output';
      return compare(count, claim.op, claim.value) ? undefined : `count ${claim.outcome} = ${count}`;
    }
    case 'violation':
    case 'no-violations': {
      const kinds = violationsOf(result.stdout, json);
      if (kinds === undefined) return 'no violations list in the output';
      const holds =
        claim.kind === 'no-violations'
          ? kinds.length === 0
          : kinds.includes(claim.violation) === claim.present;
      return holds ? undefined : `violations: ${kinds.join(', ') || 'none'}`;
    }
    case 'text': {
      const text = result[claim.stream];
      const holds =
        claim.pattern instanceof RegExp
          ? claim.pattern.test(text)
          : text.includes(claim.pattern) === (claim.test === 'contains');
      return holds ? undefined : `${claim.stream}: ${JSON.stringify(tail(text))}`;
    }
    case 'json': {
      if (json === undefined) return 'stdout is not JSON (add --json to the command)';
      const value = at(json, claim.path);
      return compare(value, claim.op, claim.value) ? undefined : `${claim.path} = ${JSON.stringify(value)}`;
    }
    case 'file': {
      const path = join(result.folder, claim.path);
      if (!existsSync(path)) return `no file ${claim.path}`;
      return readFileSync(path, 'utf8').includes(claim.text)
        ? undefined
        : `${claim.path} does not contain it`;
    }
  }
};

/** The claims that do not hold for this result (none when the page tells the truth). */
export const brokenClaims = (claims: readonly Claim[], result: CommandResult): BrokenClaim[] =>
  claims.flatMap((claim) => {
    const found = brokenBy(claim, result);
    return found === undefined ? [] : [{ claim: claimText(claim), found }];
  });
