import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The `lab` command's entry: what `pnpm lab` runs (package.json), started here without pnpm's second of start-up. */
export const CLI_ENTRY = fileURLToPath(new URL('../src/bin.ts', import.meta.url));

/** Runs `lab …` from the repository root, as `pnpm lab …` does, and waits for it. */
export const runCli = (...args: string[]): CliResult => runCliWithEnv({}, ...args);

/** runCli with some environment variables changed (an empty string unsets one for the CLI). */
export const runCliWithEnv = (env: Readonly<Record<string, string>>, ...args: string[]): CliResult => {
  const result = spawnSync(process.execPath, [CLI_ENTRY, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
    timeout: 170_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
};
