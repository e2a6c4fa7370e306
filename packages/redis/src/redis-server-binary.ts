import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** Thrown when the lab must start its own Redis but cannot find the program to start. */
export class RedisServerNotFoundError extends Error {
  override readonly name = 'RedisServerNotFoundError';
}

const isExecutable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The absolute path of `program` on `searchPath` (default: PATH), or undefined. */
export const findOnPath = (program: string, searchPath = process.env.PATH ?? ''): string | undefined => {
  if (isAbsolute(program)) return isExecutable(program) ? program : undefined;
  for (const dir of searchPath.split(delimiter)) {
    if (dir && isExecutable(join(dir, program))) return join(dir, program);
  }
  return undefined;
};

/**
 * The redis-server program to start, or a RedisServerNotFoundError that says what is missing and
 * the two ways out: install it, or point the lab at Redis servers that already run.
 */
export const redisServerBinary = (program = 'redis-server', searchPath?: string): string => {
  const found = findOnPath(program, searchPath);
  if (found) return found;
  throw new RedisServerNotFoundError(
    `${program} is not on PATH, and LAB_REDIS_URL / LAB_REDLOCK_URLS are not set, so the lab can neither ` +
      'start its own Redis nor connect to one. Either install Redis (on Debian or Ubuntu: ' +
      '`apt-get install redis-server`), or set LAB_REDIS_URL=redis://host:port for the Redis labs and ' +
      'LAB_REDLOCK_URLS to five comma-separated redis:// URLs of independent nodes for the redlock lab.',
  );
};
