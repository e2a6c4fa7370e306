import type { FaultRequest, NetworkProxy } from '@concurrency-lab/harness';
import type { Lab } from '@concurrency-lab/model';
import { networkTargetsIn } from '../faults/network-faults.ts';
import type { PrepareOptions, ServiceHub } from '../service-hub.ts';

/** Where a run's connections go when its network faults need them proxied, and the proxies, by target. */
export interface NetworkRoutes {
  readonly urls: NonNullable<PrepareOptions['urls']>;
  readonly proxies: Readonly<Record<string, NetworkProxy>>;
}

/** `url` with its host and port replaced by `listen` (`127.0.0.1:<port>`). */
const via = (url: string, listen: string): string => {
  const parsed = new URL(url);
  parsed.host = listen;
  return parsed.toString();
};

/**
 * Puts a Toxiproxy proxy in front of every store the run's network faults target, so that the
 * lab's connections go through it (no proxy, and no Toxiproxy process, for a run without them).
 */
export const networkRoutesFor = async (
  hub: ServiceHub,
  lab: Lab,
  faults: readonly FaultRequest[],
  namespace: string,
): Promise<NetworkRoutes> => {
  const targets = networkTargetsIn(faults);
  if (targets.length === 0) return { urls: {}, proxies: {} };
  const server = await hub.toxiproxy();
  const proxies: Record<string, NetworkProxy> = {};
  const urls: { postgres?: string; redis?: string; redlock?: string[] } = {};
  const proxied = async (target: string, url: string) => {
    const proxy = await server.proxy(`${namespace}-${target}`, new URL(url).host);
    proxies[target] = proxy;
    return via(url, proxy.listen);
  };
  for (const target of targets) {
    if (target === 'postgres') urls.postgres = await proxied(target, await hub.postgresUrl());
    else if (target === 'redis') urls.redis = await proxied(target, await hub.redisUrl());
    else {
      const index = Number(target.replace('redlock-node-', '')) - 1;
      urls.redlock ??= await hub.redlockUrls();
      const url = urls.redlock[index];
      if (url === undefined) throw new Error(`lab ${lab.name} has no ${target}`);
      urls.redlock[index] = await proxied(target, url);
    }
  }
  return { urls, proxies };
};
