import type { FaultContext, FaultRequest } from '@concurrency-lab/harness';
import type { Lab, ResolvedLabOptions } from '@concurrency-lab/model';
import { schemaNameFor, terminateBackends } from '@concurrency-lab/postgres';
import type { ServiceHub } from '../service-hub.ts';

/** The variable that, when set, points a lab's lock service at Redis this process did not start. */
const externalRedisVariable = (lab: Lab): string | undefined => {
  if (lab.needs.includes('redlock')) return process.env.LAB_REDLOCK_URLS ? 'LAB_REDLOCK_URLS' : undefined;
  if (lab.needs.includes('redis')) return process.env.LAB_REDIS_URL ? 'LAB_REDIS_URL' : undefined;
  return undefined;
};

/**
 * Why one of `faults` cannot reach what it acts on in this environment, or undefined: a fault on
 * redis-server processes acts only on nodes this run starts, never on ones LAB_REDIS_URL or
 * LAB_REDLOCK_URLS point at.
 */
export const faultTargetProblem = (lab: Lab, faults: readonly FaultRequest[]): string | undefined => {
  const variable = externalRedisVariable(lab);
  const needsNodes = faults.find((fault) => fault.definition.target === 'redis-nodes');
  if (!variable || !needsNodes) return undefined;
  return `fault ${needsNodes.definition.name} acts only on redis-server processes this run starts, and ${variable} points lab ${lab.name} at Redis it did not start; unset ${variable} to let the run start its own nodes`;
};

/** What the faults of one run may reach: the nodes the hub started for the lab, and the run's own backends. */
export const faultContextFor = async (
  hub: ServiceHub,
  lab: Lab,
  options: ResolvedLabOptions,
  namespace: string,
): Promise<FaultContext> => {
  const nodes = externalRedisVariable(lab) ? undefined : await hub.startedRedisNodes(lab);
  const postgres = lab.needs.includes('postgres') ? await hub.postgresUrl() : undefined;
  return {
    lab,
    options,
    ...(nodes ? { redisNodes: nodes } : {}),
    ...(postgres ? { terminateBackends: () => terminateBackends(postgres, schemaNameFor(namespace)) } : {}),
  };
};
