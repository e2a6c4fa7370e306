import type { ServiceName } from '@concurrency-lab/model';
import { pingPostgres } from '@concurrency-lab/postgres';
import { pingRedis } from '@concurrency-lab/redis';
import type { ServiceHub } from './service-hub.ts';

/** Where each service is: the URLs a hub handed to the labs. */
export interface ServiceEndpoints {
  readonly postgres?: string;
  readonly redis?: string;
  readonly redlock?: readonly string[];
}

/** One service as a probe found it; `reason` is short and never names an address. */
export interface ServiceState {
  readonly state: 'up' | 'down';
  readonly reason: string;
}

export type ServiceStates = Readonly<Partial<Record<ServiceName, ServiceState>>>;

/**
 * The endpoints of the services in `needs`, as `hub` provides them. Call it once the services are
 * up (after the labs are prepared): asking a hub for a service it has not started starts it.
 */
export const serviceEndpoints = async (
  hub: ServiceHub,
  needs: ReadonlySet<ServiceName>,
): Promise<ServiceEndpoints> => ({
  ...(needs.has('postgres') ? { postgres: await hub.postgresUrl() } : {}),
  ...(needs.has('redis') ? { redis: await hub.redisUrl() } : {}),
  ...(needs.has('redlock') ? { redlock: await hub.redlockUrls() } : {}),
});

class ProbeTimeout extends Error {}

const SOCKET_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name not resolved',
};

/** Why a probe failed, in a few words: the socket error's meaning, or the server's own first line. */
const reasonOf = (error: unknown, timeoutMs: number): string => {
  if (error instanceof ProbeTimeout || (error as { code?: unknown }).code === 'ETIMEDOUT')
    return `no answer within ${timeoutMs} ms`;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_REASONS[code]) return SOCKET_REASONS[code];
  const message = error instanceof Error ? error.message : String(error);
  if (/timeout|timed out/i.test(message)) return `no answer within ${timeoutMs} ms`;
  // A server's refusal ("the database system is starting up", "LOADING …") names no address.
  return (message.split('\n')[0] ?? '').slice(0, 120);
};

/** Runs `ping`, bounded by `timeoutMs` whatever the driver does; resolves to what it found. */
const probe = async (ping: () => Promise<void>, timeoutMs: number): Promise<ServiceState> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new ProbeTimeout()), timeoutMs);
      }),
    ]);
    return { state: 'up', reason: 'answers' };
  } catch (error) {
    return { state: 'down', reason: reasonOf(error, timeoutMs) };
  } finally {
    clearTimeout(timer);
  }
};

/** Redlock needs a majority of its nodes: up while one answers, down (naming how many) otherwise. */
const probeRedlock = async (urls: readonly string[], timeoutMs: number): Promise<ServiceState> => {
  const states = await Promise.all(urls.map((url) => probe(() => pingRedis(url, timeoutMs), timeoutMs)));
  const answering = states.filter((s) => s.state === 'up').length;
  const quorum = Math.floor(urls.length / 2) + 1;
  const firstDown = states.find((s) => s.state === 'down');
  const tally = `${answering} of ${urls.length} nodes answer; a lock needs ${quorum}`;
  return {
    state: answering >= quorum ? 'up' : 'down',
    reason: firstDown ? `${tally} (${firstDown.reason})` : tally,
  };
};

/**
 * Probes every service in `endpoints` at once, each on a fresh connection of its own, each within
 * `timeoutMs`. Never rejects: a service that cannot be reached is `down` with the reason.
 */
export const probeServices = async (
  endpoints: ServiceEndpoints,
  timeoutMs: number,
): Promise<ServiceStates> => {
  const { postgres, redis, redlock } = endpoints;
  const [pg, rd, rl] = await Promise.all([
    postgres === undefined ? undefined : probe(() => pingPostgres(postgres, timeoutMs), timeoutMs),
    redis === undefined ? undefined : probe(() => pingRedis(redis, timeoutMs), timeoutMs),
    redlock === undefined ? undefined : probeRedlock(redlock, timeoutMs),
  ]);
  return { ...(pg ? { postgres: pg } : {}), ...(rd ? { redis: rd } : {}), ...(rl ? { redlock: rl } : {}) };
};
