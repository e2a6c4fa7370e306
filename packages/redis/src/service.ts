import type { LabContext } from '@concurrency-lab/model';
import type { Redis } from 'ioredis';
import { describeRedisFailure } from './connection.ts';

/** What a lab that needs one Redis receives: a connection shared by the run's sessions. */
export interface RedisService {
  /** Where it is, for messages. */
  readonly url: string;
  /** Shared by the run's sessions (ioredis pipelines their commands); every call is bounded in time. */
  readonly client: Redis;
  /** The command timeout the client was opened with, for messages. */
  readonly commandTimeoutMs: number;
}

/** One independent Redis of a Redlock set. */
export interface RedlockNode {
  readonly url: string;
  readonly client: Redis;
}

/** What the redlock lab receives: connections to independent Redis nodes (five by default). */
export interface RedlockService {
  readonly nodes: readonly RedlockNode[];
}

declare module '@concurrency-lab/model' {
  interface LabServices {
    readonly redis?: RedisService;
    readonly redlock?: RedlockService;
  }
}

/** The run's Redis; throws a clear error when the lab forgot to declare 'redis' in `needs`. */
export const redisOf = (ctx: LabContext): RedisService => {
  const service = ctx.services.redis;
  if (!service) throw new Error(`lab ${ctx.lab} uses Redis but was given none: add 'redis' to its needs`);
  return service;
};

/** The run's Redlock nodes; throws a clear error when the lab forgot to declare 'redlock' in `needs`. */
export const redlockOf = (ctx: LabContext): RedlockService => {
  const service = ctx.services.redlock;
  if (!service)
    throw new Error(`lab ${ctx.lab} uses Redlock but was given no nodes: add 'redlock' to its needs`);
  return service;
};

/** Runs one call on the service's client; a failure is rethrown naming the URL (and the timeout setting). */
export const redisCall = async <T>(
  service: RedisService,
  call: (client: Redis) => Promise<T>,
): Promise<T> => {
  try {
    return await call(service.client);
  } catch (error) {
    throw describeRedisFailure(service.url, error, service.commandTimeoutMs);
  }
};
