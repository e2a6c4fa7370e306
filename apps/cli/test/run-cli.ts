import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `pnpm lab …` from the repository root as a user would, and waits for it. */
export const runCli = (...args: string[]): CliResult => runCliWithEnv({}, ...args);

/** runCli with some environment variables changed (an empty string unsets one for the CLI). */
export const runCliWithEnv = (env: Readonly<Record<string, string>>, ...args: string[]): CliResult => {
  const result = spawnSync('pnpm', ['lab', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 170_000,
  });
  // pnpm adds a line of its own when the command fails (on stdout when CI is set): not the CLI's.
  const stdout = result.stdout.replace(/^\[ELIFECYCLE\].*\n?/gm, '');
  return { status: result.status, stdout, stderr: result.stderr };
};
