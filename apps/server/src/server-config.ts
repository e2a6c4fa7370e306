import { labNamed, labNames } from '@concurrency-lab/labs';
import { type Lab, LabOptionError, type ResolvedLabOptions, resolveLabOptions } from '@concurrency-lab/model';

/** A server setting that was not accepted; the message names the variable and what it accepts. */
export class ServerConfigError extends Error {
  override readonly name = 'ServerConfigError';
}

/** Everything a replica needs to know; `serverConfigFromEnv` documents the variable behind each. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** The labs served, each with its options resolved (defaults filled in). */
  readonly labs: ReadonlyArray<{
    readonly lab: Lab;
    readonly options: ResolvedLabOptions;
  }>;
  /** Enables POST /admin/reset and is then required by it; undefined: admin routes are disabled. */
  readonly adminToken: string | undefined;
  readonly raceWindowMs: number;
  /** How many replicas serve the same state (this one included). */
  readonly replicas: number;
  /** This replica's index, 0-based. */
  readonly replicaIndex: number;
  /** Prefix of each lab's namespace; every replica must use the same one to share state. */
  readonly namespace: string;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
  /** How long a client may take to send its request: the headers, and the whole of it; see ClientTimeouts. */
  readonly timeouts: ClientTimeouts;
}

/**
 * How long the server waits for a client to *send*, never for itself to answer: a request that has
 * fully arrived may wait on a lock or a pool for as long as the lab takes. Node's http server
 * applies the first two only to requests still arriving, and the third only between requests.
 */
export interface ClientTimeouts {
  /** From a request's first byte to the end of its headers (slowloris). */
  readonly headersMs: number;
  /** From a request's first byte to the end of its body. */
  readonly requestMs: number;
  /** How long an idle kept-alive connection stays open after a response. */
  readonly keepAliveMs: number;
}

/** The variables a replica reads, with their defaults, for docs and for infra files to match. */
export const SERVER_ENV = {
  LAB_PORT: 'port to listen on (default 8080; 0 picks a free one)',
  LAB_HOST: 'address to bind (default 127.0.0.1; 0.0.0.0 in a container)',
  LAB_LABS: 'comma-separated labs to serve (default: every lab)',
  LAB_OPTIONS: 'JSON options per lab, e.g. {"pg-transaction":{"isolation":"serializable"}} (default: none)',
  LAB_ADMIN_TOKEN:
    'enables POST /admin/reset, which then needs "Authorization: Bearer <token>" (default: unset, disabled)',
  LAB_RACE_WINDOW_MS:
    'delay between a lab’s read and its write, to widen races for demos and tests (default 0)',
  LAB_REPLICAS: 'how many replicas serve the same state; decides what /check can verify (default 1)',
  LAB_REPLICA_INDEX: 'this replica’s index among them, from 0 (default 0)',
  LAB_NAMESPACE:
    'prefix of the shared Postgres schema and Redis keys; equal on every replica (default "server")',
  LAB_BODY_LIMIT_BYTES: 'largest request body accepted (default 1024)',
  LAB_HEADERS_TIMEOUT_MS:
    'time a client has to send a request’s headers, from its first byte; then 408 (default 5000)',
  LAB_REQUEST_TIMEOUT_MS:
    'time a client has to send a whole request, headers and body; then 408. Not the time to answer (default 10000)',
  LAB_KEEP_ALIVE_TIMEOUT_MS:
    'how long an idle kept-alive connection stays open between requests (default 5000)',
} as const;

type Env = Readonly<Record<string, string | undefined>>;

const integer = (
  env: Env,
  name: keyof typeof SERVER_ENV,
  fallback: number,
  min: number,
  max: number,
): number => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new ServerConfigError(
      `${name} must be an integer from ${min} to ${max}; got ${JSON.stringify(raw)}`,
    );
  }
  return value;
};

const labOptions = (env: Env): Record<string, Record<string, string | number>> => {
  const raw = env.LAB_OPTIONS;
  if (raw === undefined || raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ServerConfigError(`LAB_OPTIONS must be JSON like ${SERVER_ENV.LAB_OPTIONS.split('e.g. ')[1]}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ServerConfigError('LAB_OPTIONS must be a JSON object keyed by lab name');
  }
  return parsed as Record<string, Record<string, string | number>>;
};

/**
 * Reads the replica's settings from the environment (see SERVER_ENV for each variable and its
 * default). Throws ServerConfigError naming the variable for any value it does not accept.
 */
export const serverConfigFromEnv = (env: Env = process.env): ServerConfig => {
  const names = env.LAB_LABS?.trim()
    ? env.LAB_LABS.split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : labNames();
  const options = labOptions(env);
  for (const name of Object.keys(options)) {
    if (!names.includes(name))
      throw new ServerConfigError(`LAB_OPTIONS names lab ${name}, which is not served (LAB_LABS)`);
  }
  const labs = names.map((name) => {
    const lab = labNamed(name);
    if (!lab)
      throw new ServerConfigError(
        `LAB_LABS names an unknown lab ${JSON.stringify(name)}; labs: ${labNames().join(', ')}`,
      );
    try {
      return { lab, options: resolveLabOptions(lab, options[name] ?? {}) };
    } catch (error) {
      if (error instanceof LabOptionError)
        throw new ServerConfigError(`LAB_OPTIONS for ${name}: ${error.message}`);
      throw error;
    }
  });
  const namespace = env.LAB_NAMESPACE?.trim() || 'server';
  if (!/^[a-z][a-z0-9_]{0,24}$/.test(namespace)) {
    throw new ServerConfigError(
      `LAB_NAMESPACE must be lower-case letters, digits or "_", starting with a letter, at most 25 characters; got ${JSON.stringify(namespace)}`,
    );
  }
  const replicas = integer(env, 'LAB_REPLICAS', 1, 1, 1000);
  const token = env.LAB_ADMIN_TOKEN;
  const timeouts: ClientTimeouts = {
    headersMs: integer(env, 'LAB_HEADERS_TIMEOUT_MS', 5_000, 100, 600_000),
    requestMs: integer(env, 'LAB_REQUEST_TIMEOUT_MS', 10_000, 100, 600_000),
    keepAliveMs: integer(env, 'LAB_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
  };
  // Node refuses the pair otherwise: the headers are part of the request.
  if (timeouts.headersMs > timeouts.requestMs) {
    throw new ServerConfigError(
      `LAB_HEADERS_TIMEOUT_MS (${timeouts.headersMs}) must not exceed LAB_REQUEST_TIMEOUT_MS (${timeouts.requestMs}): the headers are part of the request`,
    );
  }
  return {
    port: integer(env, 'LAB_PORT', 8080, 0, 65_535),
    host: env.LAB_HOST?.trim() || '127.0.0.1',
    labs,
    adminToken: token === undefined || token === '' ? undefined : token,
    raceWindowMs: integer(env, 'LAB_RACE_WINDOW_MS', 0, 0, 60_000),
    replicas,
    replicaIndex: integer(env, 'LAB_REPLICA_INDEX', 0, 0, replicas - 1),
    namespace,
    bodyLimitBytes: integer(env, 'LAB_BODY_LIMIT_BYTES', 1024, 64, 1_048_576),
    timeouts,
  };
};

/** The namespace (schema, key prefix) of one lab on the server: `<prefix>_<lab>`. */
export const labNamespace = (prefix: string, lab: string): string => `${prefix}_${lab.replace(/-/g, '_')}`;
