import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** The k6 release the scenarios are written for (k6 v2 runs TypeScript directly). */
export const K6_VERSION = 'v2.2.0';

/** k6 is not installed where we look; the message says how to get it. */
export class K6NotFoundError extends Error {
  override readonly name = 'K6NotFoundError';
}

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * How to get k6, for the error message. The project never builds or ships k6 (it is AGPL-licensed),
 * so these are Grafana's own channels only; no download links, their installation docs have them.
 */
export const k6InstallHelp = (): string =>
  [
    `k6 (${K6_VERSION} or later) was not found: LAB_K6 is not set and there is no k6 on PATH.`,
    'This project does not build or ship k6; get it from one of Grafana’s own channels:',
    '  Debian/Ubuntu, Fedora/RHEL:    Grafana’s k6 .deb or .rpm package, from their k6 package repository',
    '                                 (see k6’s installation docs), then apt-get install k6 or dnf install k6',
    '  macOS or Linux with Homebrew:  brew install k6',
    '  containers:                    the grafana/k6 image (infra/compose.yml runs the scenarios with it)',
    '  Kubernetes:                    the k6-operator runs them as a TestRun (infra/k8s/k6-testrun.yaml)',
    'Then run the command again, or point LAB_K6 at the k6 binary: LAB_K6=/path/to/k6 pnpm lab k6 …',
  ].join('\n');

/**
 * The k6 binary to run: LAB_K6 if set (it must be executable), else `k6` on PATH. Throws
 * K6NotFoundError, saying how to get k6, when there is none.
 */
export const findK6 = (env: Readonly<Record<string, string | undefined>> = process.env): string => {
  const fromEnv = env.LAB_K6;
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv;
    throw new K6NotFoundError(`LAB_K6=${fromEnv} is not an executable file.\n${k6InstallHelp()}`);
  }
  for (const folder of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(folder, 'k6');
    if (executable(candidate)) return candidate;
  }
  throw new K6NotFoundError(k6InstallHelp());
};

/** The k6 binary findK6 would run, or undefined: for tests that need k6 and skip without it. */
export const k6IfInstalled = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined => {
  try {
    return findK6(env);
  } catch (error) {
    if (error instanceof K6NotFoundError) return undefined;
    throw error;
  }
};
