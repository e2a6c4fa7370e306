import type { Lab, ResolvedLabOptions } from '@concurrency-lab/model';
import type { ServiceHub } from '@concurrency-lab/services';
import { labNamespace } from './server-config.ts';

export interface SharedLab {
  readonly lab: Lab;
  readonly options: ResolvedLabOptions;
}

/**
 * Makes the services that `labs` need available once, in this process, and returns the
 * environment that points replica processes at them: replicas must share one Postgres (and one
 * set of Redis nodes), never start their own. Also prepares each lab's namespace once (schema
 * created and migrated), so that replicas starting together do not race to migrate it.
 */
export const prepareSharedServices = async (
  hub: ServiceHub,
  labs: readonly SharedLab[],
  namespacePrefix: string,
): Promise<Record<string, string>> => {
  const env: Record<string, string> = {};
  const needs = (service: 'postgres' | 'redis' | 'redlock') =>
    labs.some(({ lab }) => lab.needs.includes(service));
  if (needs('postgres')) env.LAB_DATABASE_URL = await hub.postgresUrl();
  if (needs('redis')) env.LAB_REDIS_URL = await hub.redisUrl();
  if (needs('redlock')) env.LAB_REDLOCK_URLS = (await hub.redlockUrls()).join(',');
  for (const { lab, options } of labs) {
    const prepared = await hub.prepare(lab, {
      options,
      namespace: labNamespace(namespacePrefix, lab.name),
      keep: true,
    });
    await prepared.release();
  }
  return env;
};
