/** A comparison in a claim: `count ok > 5000`, `json .counts.total = 40`. */
export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** One thing a page says about the outcome of its command, checkable against the command's output. */
export type Claim =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'verdict'; readonly verdict: 'SAFE' | 'UNSAFE' | 'UNKNOWN' }
  | { readonly kind: 'count'; readonly outcome: string; readonly op: Comparison; readonly value: number }
  | { readonly kind: 'violation'; readonly violation: string; readonly present: boolean }
  | { readonly kind: 'no-violations' }
  | {
      readonly kind: 'text';
      readonly stream: 'stdout' | 'stderr';
      readonly test: 'contains' | 'lacks' | 'matches';
      readonly pattern: string | RegExp;
    }
  | {
      readonly kind: 'json';
      readonly path: string;
      readonly op: Comparison;
      readonly value: string | number | boolean | null;
    }
  | { readonly kind: 'file'; readonly path: string; readonly text: string };

/** What a claim comment holds: the claims, and the flags CI runs the command with instead (`in CI with`). */
export interface ParsedClaims {
  readonly claims: readonly Claim[];
  readonly ciFlags: readonly string[];
}

/** A claim that cannot be read, with where it is; the message names what is accepted. */
export class ClaimSyntaxError extends Error {
  override readonly name = 'ClaimSyntaxError';
  readonly file: string;
  readonly line: number;
  readonly problem: string;
  constructor(file: string, line: number, problem: string) {
    super(`${file}:${line}: ${problem}`);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }
}

/** Every claim form, as the error message of a claim that is none of them lists them. */
export const ACCEPTED_CLAIMS = [
  'exit N',
  'verdict SAFE|UNSAFE|UNKNOWN',
  'count <ok|info|fail reason> <op> N',
  'violation <kind>',
  'no violation <kind>',
  'no violations',
  'stdout|stderr contains "text"',
  'stdout|stderr lacks "text"',
  'stdout|stderr matches /regex/flags',
  'json <.path> <op> <number|"string"|true|false|null>',
  'file <path> contains "text"',
  'in CI with <flags>',
].join('; ');

const OPS = '(=|!=|<=|>=|<|>)';
const STRING = '"((?:[^"\\\\]|\\\\.)*)"';

/** `"a \"b\""` → `a "b"`: a JSON string, so escapes are the usual ones. */
const unquote = (quoted: string): string => JSON.parse(`"${quoted}"`) as string;

/**
 * Splits a comment's text into claims at `;` and line ends, but not inside "strings" or the
 * /regex/ of a `matches` claim, where either may appear.
 */
const splitClaims = (text: string): string[] => {
  const parts: string[] = [];
  let current = '';
  let quote = false;
  let regex = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if ((quote || regex) && c === '\\') {
      current += c + (text[i + 1] ?? '');
      i++;
      continue;
    }
    if (!regex && c === '"') quote = !quote;
    else if (!quote && c === '/' && (regex || /\bmatches\s*$/.test(current))) regex = !regex;
    if (!quote && !regex && (c === ';' || c === '\n')) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
};

const jsonLiteral = (raw: string): string | number | boolean | null | undefined => {
  if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  const quoted = new RegExp(`^${STRING}$`).exec(raw);
  return quoted ? unquote(quoted[1] as string) : undefined;
};

/** Makes a claim from a form's match, or undefined when its parts are no good (a bad regex, a bad value). */
type ClaimMaker = (m: RegExpExecArray) => Claim | 'ci' | undefined;

const regexOf = (source: string, flags: string): RegExp | undefined => {
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
};

/** Every claim form: its syntax, and what it makes. */
const CLAIM_FORMS: readonly (readonly [RegExp, ClaimMaker])[] = [
  [/^exit (\d+)$/, (m) => ({ kind: 'exit', code: Number(m[1]) })],
  [
    /^verdict (SAFE|UNSAFE|UNKNOWN)$/,
    (m) => ({ kind: 'verdict', verdict: m[1] as 'SAFE' | 'UNSAFE' | 'UNKNOWN' }),
  ],
  [
    new RegExp(`^count ([a-z_]+) ${OPS} (\\d+)$`),
    (m) => ({ kind: 'count', outcome: m[1] as string, op: m[2] as Comparison, value: Number(m[3]) }),
  ],
  [/^no violations$/, () => ({ kind: 'no-violations' })],
  [
    /^(no )?violation ([a-z][a-z-]*)$/,
    (m) => ({ kind: 'violation', violation: m[2] as string, present: m[1] === undefined }),
  ],
  [
    new RegExp(`^(stdout|stderr) (contains|lacks) ${STRING}$`),
    (m) => ({
      kind: 'text',
      stream: m[1] as 'stdout' | 'stderr',
      test: m[2] as 'contains' | 'lacks',
      pattern: unquote(m[3] as string),
    }),
  ],
  [
    /^(stdout|stderr) matches \/((?:[^/\\]|\\.)+)\/([a-z]*)$/,
    (m) => {
      const pattern = regexOf(m[2] as string, m[3] ?? '');
      return pattern && { kind: 'text', stream: m[1] as 'stdout' | 'stderr', test: 'matches', pattern };
    },
  ],
  [
    new RegExp(`^json ((?:\\.[A-Za-z_][\\w-]*|\\[\\d+\\])+) ${OPS} (.+)$`),
    (m) => {
      const value = jsonLiteral((m[3] as string).trim());
      return value === undefined
        ? undefined
        : { kind: 'json', path: m[1] as string, op: m[2] as Comparison, value };
    },
  ],
  [
    new RegExp(`^file (\\S+) contains ${STRING}$`),
    (m) => ({ kind: 'file', path: m[1] as string, text: unquote(m[2] as string) }),
  ],
  [/^in CI with \S/, () => 'ci'],
];

/** One claim, or undefined when the text is no claim form at all. */
const parseClaim = (text: string): Claim | 'ci' | undefined => {
  for (const [form, make] of CLAIM_FORMS) {
    const m = form.exec(text);
    if (m) return make(m);
  }
  return undefined;
};

/**
 * Reads the claims of one `<!-- expect: … -->` comment (the text after `expect:`), which starts at
 * `line` of `file`. Exactly one `exit` is required: a command's exit code is always part of its claim.
 */
export const parseClaims = (text: string, file: string, line: number): ParsedClaims => {
  const claims: Claim[] = [];
  let ciFlags: string[] = [];
  for (const part of splitClaims(text)) {
    const claim = parseClaim(part);
    if (claim === undefined)
      throw new ClaimSyntaxError(
        file,
        line,
        `unknown claim ${JSON.stringify(part)}; accepted: ${ACCEPTED_CLAIMS}`,
      );
    if (claim === 'ci') {
      const flags = part.replace(/^in CI with\s+/, '').split(/\s+/);
      if (!flags[0]?.startsWith('--'))
        throw new ClaimSyntaxError(
          file,
          line,
          `"in CI with" needs flags, e.g. "in CI with --ops 1000"; got ${JSON.stringify(part)}`,
        );
      ciFlags = flags;
    } else {
      claims.push(claim);
    }
  }
  const exits = claims.filter((claim) => claim.kind === 'exit').length;
  if (exits !== 1)
    throw new ClaimSyntaxError(
      file,
      line,
      `a claim states exactly one exit code ("exit 0"), found ${exits}; accepted: ${ACCEPTED_CLAIMS}`,
    );
  return { claims, ciFlags };
};

/** A claim as a trainer reads it, for test names and failure messages. */
export const claimText = (claim: Claim): string => {
  switch (claim.kind) {
    case 'exit':
      return `exit ${claim.code}`;
    case 'verdict':
      return `verdict ${claim.verdict}`;
    case 'count':
      return `count ${claim.outcome} ${claim.op} ${claim.value}`;
    case 'violation':
      return `${claim.present ? '' : 'no '}violation ${claim.violation}`;
    case 'no-violations':
      return 'no violations';
    case 'text':
      return `${claim.stream} ${claim.test} ${claim.pattern instanceof RegExp ? String(claim.pattern) : JSON.stringify(claim.pattern)}`;
    case 'json':
      return `json ${claim.path} ${claim.op} ${JSON.stringify(claim.value)}`;
    case 'file':
      return `file ${claim.path} contains ${JSON.stringify(claim.text)}`;
  }
};
