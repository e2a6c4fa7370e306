import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { CommandResult } from './claim-check.ts';
import { type CheckedCommand, type ParsedPage, parsePage } from './page-parser.ts';

/** Where the pages are, from the repository root: the workshop and the concept pages. */
export const PAGE_FOLDERS = ['docs/workshop', 'docs/concepts'] as const;

/** Every Markdown page under the page folders, parsed, in a stable order. */
export const readPages = (root: string): ParsedPage[] =>
  PAGE_FOLDERS.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
      .map((entry) => join(entry.parentPath, entry.name))
      .sort(),
  ).map((path) => parsePage(relative(root, path), readFileSync(path, 'utf8')));

/**
 * Runs `lab <args>` as `pnpm lab` does (the entry package.json names), from `folder`, so that files
 * the command writes land there, not in the checkout; with no terminal and no input, bounded in time.
 */
const runLab = (
  root: string,
  args: readonly string[],
  folder: string,
  env: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<CommandResult> =>
  new Promise((resolve) => {
    const started = performance.now();
    // INIT_CWD is where pnpm says the user typed the command: here, the page's own folder.
    const commandEnv: Record<string, string | undefined> = {
      ...process.env,
      NO_COLOR: '1',
      INIT_CWD: folder,
      ...env,
    };
    // A fault acts only on the redis-server processes its run started, as a user's run starts them.
    if (args.includes('--fault')) {
      delete commandEnv.LAB_REDIS_URL;
      delete commandEnv.LAB_REDLOCK_URLS;
    }
    const child = spawn(process.execPath, [join(root, 'apps/cli/src/bin.ts'), ...args], {
      cwd: folder,
      env: commandEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      stderr += `\n(the check stopped the command after ${timeoutMs / 1000} s)`;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      // pnpm adds a line of its own when the command fails (on stdout when CI is set): not the CLI's.
      resolve({
        status,
        stdout,
        stderr,
        folder,
        seconds: (performance.now() - started) / 1000,
      });
    });
  });

/**
 * Starts every checked command of every page: the commands of one page in order, in one fresh folder
 * (as a trainer runs them in one terminal), one page per worker at a time. Each worker runs with the
 * environment variables it is given (once they are ready); a worker whose environment fails leaves
 * its share to the others. Returns each command's result as a promise, so that each test waits for
 * its own.
 */
export const startCommands = (
  root: string,
  pages: readonly ParsedPage[],
  {
    workers,
    timeoutMs,
  }: { readonly workers: readonly Promise<Readonly<Record<string, string>>>[]; readonly timeoutMs: number },
): Map<CheckedCommand, Promise<CommandResult>> => {
  const settle = new Map<CheckedCommand, (result: CommandResult) => void>();
  const results = new Map<CheckedCommand, Promise<CommandResult>>();
  for (const page of pages)
    for (const command of page.checked)
      results.set(command, new Promise((resolve) => settle.set(command, resolve)));

  // Longest pages first, so that no worker is left with a long page while the others are idle.
  const queue = pages
    .filter((page) => page.checked.length > 0)
    .sort((a, b) => b.checked.length - a.checked.length);
  const worker = async (environment: Promise<Readonly<Record<string, string>>>) => {
    const env = await environment.catch((error: unknown) => {
      process.stderr.write(`workshop claims: a worker could not start: ${String(error)}\n`);
      return undefined;
    });
    if (!env) return;
    for (let page = queue.shift(); page !== undefined; page = queue.shift()) {
      const folder = mkdtempSync(join(tmpdir(), 'workshop-claims-'));
      for (const command of page.checked)
        settle.get(command)?.(await runLab(root, command.args, folder, env, timeoutMs));
    }
  };
  for (const environment of workers) void worker(environment);
  return results;
};
