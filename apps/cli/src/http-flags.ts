import type { Command } from 'commander';
import { positiveInteger, UsageError } from './usage-error.ts';

/** Where a run over HTTP sends its clients: replicas it starts, or servers someone else runs. */
export type HttpServers =
  | { readonly kind: 'started'; readonly replicas: number }
  | { readonly kind: 'target'; readonly urls: readonly string[]; readonly adminToken: string | undefined };

/** The flags of `--http` that run and compare share. */
export interface HttpFlags {
  readonly http?: boolean;
  readonly replicas?: number;
  readonly target?: string;
  readonly allowRemote?: boolean;
  readonly adminToken?: string;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** One --target URL, refused unless it is a plain http(s) base URL on loopback (or --allow-remote). */
const targetUrl = (raw: string, allowRemote: boolean): string => {
  const accepted = 'an http:// or https:// base URL like http://127.0.0.1:8080 (no path, query or fragment)';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--target ${JSON.stringify(raw)} is not accepted: it must be ${accepted}`);
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.pathname !== '/' ||
    url.search ||
    url.hash ||
    url.username
  )
    throw new UsageError(`--target ${JSON.stringify(raw)} is not accepted: it must be ${accepted}`);
  if (!LOOPBACK.test(url.hostname) && !allowRemote)
    throw new UsageError(
      `--target ${url.origin} is not a loopback address: only 127.x.x.x, localhost and [::1] are accepted unless --allow-remote is given (a server you run elsewhere; the k6 scripts' LAB_ALLOW_REMOTE=1)`,
    );
  return url.origin;
};

/**
 * What `--http [--replicas N] [--target URL,…] [--allow-remote] [--admin-token T]` asks for, checked
 * before anything starts; undefined without --http. Throws UsageError (exit 2) for a flag that
 * makes no sense without --http or beside --target.
 */
export const httpServersFrom = (flags: HttpFlags, raceWindowMs: number): HttpServers | undefined => {
  if (!flags.http) {
    const stray = (
      [
        ['--replicas', flags.replicas],
        ['--target', flags.target],
        ['--allow-remote', flags.allowRemote],
        ['--admin-token', flags.adminToken],
      ] as const
    ).find(([, value]) => value !== undefined);
    if (stray) throw new UsageError(`${stray[0]} applies to runs over HTTP only: add --http`);
    return undefined;
  }
  if (flags.target === undefined) {
    if (flags.allowRemote) throw new UsageError('--allow-remote applies to --target only');
    return { kind: 'started', replicas: flags.replicas ?? 1 };
  }
  if (flags.replicas !== undefined)
    throw new UsageError(
      '--replicas starts replicas itself and cannot be combined with --target; name every replica in --target a,b,c instead',
    );
  if (raceWindowMs > 0)
    throw new UsageError(
      '--race-window-ms cannot be given with --target: the race window is the server’s own (its LAB_RACE_WINDOW_MS)',
    );
  const urls = flags.target.split(',').map((raw) => targetUrl(raw.trim(), flags.allowRemote === true));
  return { kind: 'target', urls, adminToken: flags.adminToken ?? process.env.LAB_ADMIN_TOKEN };
};

/** Adds the flags of a run over HTTP to `lab run` and `lab compare`. */
export const addHttpFlags = (command: Command): Command =>
  command
    .option('--http', 'drive the lab over HTTP through server replicas, with the same harness and checkers')
    .option(
      '--replicas <n>',
      'with --http: server processes started for the run, client i talking to replica i mod n (default 1)',
      positiveInteger('--replicas', 16),
    )
    .option(
      '--target <url,…>',
      'with --http: drive servers already running there (e.g. lab serve) instead of starting replicas; loopback only unless --allow-remote',
    )
    .option('--allow-remote', 'with --target: accept a non-loopback server (a cluster you run)')
    .option(
      '--admin-token <token>',
      'with --target: the servers’ admin token, to reset the lab (default: LAB_ADMIN_TOKEN)',
    );
