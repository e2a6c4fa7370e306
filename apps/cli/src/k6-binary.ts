import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
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

/** GOPATH/bin, where `go install` and the CI script put k6 (undefined when Go is not installed). */
const goBin = (): string | undefined => {
  const result = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8', timeout: 10_000 });
  const gopath = result.status === 0 ? result.stdout.trim().split(delimiter)[0] : undefined;
  return gopath ? join(gopath, 'bin') : undefined;
};

/** How to install k6, for the error message (no download links: the package managers know them). */
export const k6InstallHelp = (): string =>
  [
    `k6 (${K6_VERSION} or later) was not found: not in LAB_K6, not on PATH, not in $(go env GOPATH)/bin or ~/go/bin.`,
    'Get it in one of these ways, then run the command again:',
    '  macOS:           brew install k6',
    '  Windows:         winget install k6   (or: choco install k6)',
    "  Debian/Ubuntu:   apt-get install k6 after adding Grafana's k6 package repository (see k6's installation docs)",
    `  with Go (1.24+): go install go.k6.io/k6/v2@${K6_VERSION}   then add $(go env GOPATH)/bin to PATH`,
    '                   (if that cannot resolve the module path, build it from the module cache:',
    `                    cd "$(go list -m -f '{{.Dir}}' go.k6.io/k6/v2@${K6_VERSION})" && go build -o "$(go env GOPATH)/bin/k6" .)`,
    '  or point LAB_K6 at a k6 binary you already have.',
  ].join('\n');

/**
 * The k6 binary to run: LAB_K6 if set (it must be executable), else `k6` on PATH, else in Go's
 * bin folder. Throws K6NotFoundError with install instructions when there is none.
 */
export const findK6 = (env: Readonly<Record<string, string | undefined>> = process.env): string => {
  const fromEnv = env.LAB_K6;
  if (fromEnv) {
    if (executable(fromEnv)) return fromEnv;
    throw new K6NotFoundError(`LAB_K6=${fromEnv} is not an executable file.\n${k6InstallHelp()}`);
  }
  const folders = (env.PATH ?? '').split(delimiter).filter(Boolean);
  const gopathBin = goBin();
  if (gopathBin) folders.push(gopathBin);
  folders.push(join(homedir(), 'go', 'bin'));
  for (const folder of folders) {
    const candidate = join(folder, 'k6');
    if (executable(candidate)) return candidate;
  }
  throw new K6NotFoundError(k6InstallHelp());
};
