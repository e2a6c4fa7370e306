import { type Claim, ClaimSyntaxError, parseClaims } from './claim-parser.ts';

/** A command of a page that CI runs, with what the page claims about its outcome. */
export interface CheckedCommand {
  readonly file: string;
  /** The line of the command in the page (1-based). */
  readonly line: number;
  /** The command as the page shows it. */
  readonly command: string;
  /** Its arguments after `pnpm lab`, as CI runs them (the page's, with `in CI with` flags applied). */
  readonly args: readonly string[];
  readonly claims: readonly Claim[];
  /** The flags CI uses instead of the page's (empty when it runs the command as shown). */
  readonly ciFlags: readonly string[];
}

/** A command block that a page shows without running it, and why. */
export interface ShownCommand {
  readonly file: string;
  readonly line: number;
  readonly commands: readonly string[];
  readonly reason: string;
}

export interface ParsedPage {
  readonly file: string;
  readonly checked: readonly CheckedCommand[];
  readonly shown: readonly ShownCommand[];
  /** Everything that keeps the page from being checked: unmarked commands, unreadable claims. */
  readonly errors: readonly ClaimSyntaxError[];
}

const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell', 'zsh', 'console']);
const FENCE = /^(\s*)(```+|~~~+)\s*([\w-]*)\s*$/;

/**
 * A fenced block holds commands when its language is a shell's, or when it has none and a line
 * starts with `pnpm` or `$ `: so a command cannot escape the check by leaving out the language.
 */
const isCommandBlock = (language: string, lines: readonly string[]): boolean =>
  SHELL_LANGUAGES.has(language) || (language === '' && lines.some((line) => /^\s*(\$ |pnpm\s)/.test(line)));

/** The commands of a block: lines joined at a trailing `\`, comments and blank lines left out. */
const commandsOf = (lines: readonly string[], firstLine: number): { text: string; line: number }[] => {
  const commands: { text: string; line: number }[] = [];
  let pending: { text: string; line: number } | undefined;
  lines.forEach((raw, i) => {
    const text = raw.replace(/^\s*\$ /, '').trim();
    if (pending) {
      pending.text += ` ${text.replace(/\\$/, '').trim()}`;
      if (!text.endsWith('\\')) {
        commands.push(pending);
        pending = undefined;
      }
      return;
    }
    if (text === '' || text.startsWith('#')) return;
    const entry = { text: text.replace(/\\$/, '').trim(), line: firstLine + i };
    if (text.endsWith('\\')) pending = entry;
    else commands.push(entry);
  });
  if (pending) commands.push(pending);
  return commands;
};

/**
 * The words of one `pnpm lab …` command: single and double quotes group, a trailing `# comment`
 * is dropped. Anything a shell would do beyond running one command (pipes, redirections, `&&`,
 * variables, substitutions) is refused, because the check runs the command without a shell.
 */
export const commandWords = (command: string): string[] | string => {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (c === "'" || c === '"') {
      const end = command.indexOf(c, i + 1);
      if (end < 0) return `an unclosed ${c} quote`;
      word += command.slice(i + 1, end);
      inWord = true;
      i = end;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (c === '#' && !inWord) {
      break;
    } else if ('|&;<>$`()'.includes(c)) {
      return `shell syntax (${JSON.stringify(c)}); a checked command is one \`pnpm lab …\` call`;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  if (words[0] !== 'pnpm' || words[1] !== 'lab')
    return `only \`pnpm lab …\` commands can be checked; mark others <!-- not-run: why -->`;
  return words.slice(2);
};

/** The page's flags with CI's applied: a flag given by `in CI with` replaces the page's value, or is added. */
export const withCiFlags = (args: readonly string[], ciFlags: readonly string[]): string[] => {
  const result = [...args];
  for (let i = 0; i < ciFlags.length; i++) {
    const flag = ciFlags[i] as string;
    const value = ciFlags[i + 1]?.startsWith('--') === false ? ciFlags[++i] : undefined;
    const at = result.indexOf(flag);
    const replace = value === undefined ? [flag] : [flag, value];
    if (at < 0) result.push(...replace);
    else {
      const hadValue = result[at + 1] !== undefined && !(result[at + 1] as string).startsWith('--');
      result.splice(at, hadValue ? 2 : 1, ...replace);
    }
  }
  return result;
};

const MARKER = /^\s*<!--\s*(expect|not-run)\s*:([\s\S]*?)-->\s*$/;

/**
 * Reads one page: every command block must be followed (blank lines aside) by a marker comment,
 * `<!-- expect: claims -->` for one command CI runs, or `<!-- not-run: reason -->` for commands only
 * shown. A marker anywhere else is an error too, so that no claim is silently ignored.
 */
export const parsePage = (file: string, markdown: string): ParsedPage => {
  const lines = markdown.split('\n');
  const checked: CheckedCommand[] = [];
  const shown: ShownCommand[] = [];
  const errors: ClaimSyntaxError[] = [];
  const markerAt = new Set<number>();
  const fenced = new Set<number>();

  for (let i = 0; i < lines.length; i++) {
    const fence = FENCE.exec(lines[i] as string);
    if (!fence) continue;
    const open = i;
    const close = fence[2] as string;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] as string).trim().startsWith(close); i++) {
      body.push(lines[i] as string);
      fenced.add(i);
    }
    const language = fence[3] ?? '';
    if (!isCommandBlock(language, body)) continue;
    const commands = commandsOf(body, open + 2);

    let next = i + 1;
    while (next < lines.length && (lines[next] as string).trim() === '') next++;
    // A marker may span lines: it ends at the first line holding `-->`.
    let end = next;
    while (
      end < lines.length &&
      (lines[next] as string).trimStart().startsWith('<!--') &&
      !(lines[end] as string).includes('-->')
    )
      end++;
    const markerText = lines.slice(next, end + 1).join('\n');
    const marker = (lines[next] ?? '').trimStart().startsWith('<!--') ? MARKER.exec(markerText) : null;
    if (!marker) {
      errors.push(
        new ClaimSyntaxError(
          file,
          open + 1,
          `a command block with no marker after it (${JSON.stringify(commands[0]?.text ?? body[0] ?? '')}); ` +
            'follow it with <!-- expect: exit N; … --> (see docs/workshop/CLAIMS.md) or <!-- not-run: why -->',
        ),
      );
      continue;
    }
    markerAt.add(next);
    const [, kind, text = ''] = marker;
    if (kind === 'not-run') {
      if (text.trim() === '')
        errors.push(
          new ClaimSyntaxError(file, next + 1, 'a not-run marker says why: <!-- not-run: needs k6 -->'),
        );
      else shown.push({ file, line: open + 2, commands: commands.map((c) => c.text), reason: text.trim() });
      continue;
    }
    if (commands.length !== 1) {
      errors.push(
        new ClaimSyntaxError(
          file,
          open + 1,
          `an expect marker checks one command, this block has ${commands.length}; give each command its own block`,
        ),
      );
      continue;
    }
    const command = commands[0] as { text: string; line: number };
    const words = commandWords(command.text);
    if (typeof words === 'string') {
      errors.push(
        new ClaimSyntaxError(file, command.line, `cannot check ${JSON.stringify(command.text)}: ${words}`),
      );
      continue;
    }
    try {
      const parsed = parseClaims(text, file, next + 1);
      checked.push({
        file,
        line: command.line,
        command: command.text.replace(/\s+#\s.*$/, ''),
        args: withCiFlags(words, parsed.ciFlags),
        claims: parsed.claims,
        ciFlags: parsed.ciFlags,
      });
    } catch (error) {
      if (error instanceof ClaimSyntaxError) errors.push(error);
      else throw error;
    }
  }

  lines.forEach((line, i) => {
    if (/^\s*<!--\s*(expect|not-run)\b/.test(line) && !markerAt.has(i) && !fenced.has(i))
      errors.push(
        new ClaimSyntaxError(
          file,
          i + 1,
          "a marker that follows no command block; put it right after the block's closing fence",
        ),
      );
  });
  return { file, checked, shown, errors };
};
