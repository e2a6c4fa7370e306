import type { FaultArgument, FaultDefinition, FaultRequest, NetworkProxy } from '@concurrency-lab/harness';
import type { Lab } from '@concurrency-lab/model';

/** The stores a lab's connections may be routed through a proxy to: by the services it needs. */
export const networkTargetsOf = (lab: Lab): string[] => [
  ...(lab.needs.includes('postgres') ? ['postgres'] : []),
  ...(lab.needs.includes('redis') ? ['redis'] : []),
  ...(lab.needs.includes('redlock') ? [1, 2, 3, 4, 5].map((i) => `redlock-node-${i}`) : []),
];

const MAX_MS = 60_000;

const msFrom = (text: string | undefined): number | undefined => {
  const value = Number(text);
  return text !== undefined &&
    text.trim() !== '' &&
    Number.isSafeInteger(value) &&
    value >= 1 &&
    value <= MAX_MS
    ? value
    : undefined;
};

/** `<target>:<ms>` (or `<target>[:<ms>]`), the target one the lab's connections go to. */
const targetArgument = (msRequired: boolean, msMeans: string): FaultArgument => ({
  placeholder: msRequired ? '<target>:<ms>' : '<target>[:<ms>]',
  optional: false,
  accepted: `a target (postgres, redis, redlock-node-<1-5>: one the lab uses) then ${msRequired ? '' : 'optionally '}:<ms>, ${msMeans}, an integer from 1 to ${MAX_MS}`,
  check: (text, lab) => {
    const [target = '', ms, ...rest] = text.split(':');
    const targets = networkTargetsOf(lab);
    if (!targets.includes(target))
      return `lab ${lab.name} has no connections to ${JSON.stringify(target)}; its targets: ${targets.join(', ') || 'none'}`;
    if (rest.length > 0) return 'too many parts';
    if (ms === undefined) return msRequired ? 'the ms is missing' : undefined;
    return msFrom(ms) === undefined
      ? `${JSON.stringify(ms)} is not an integer from 1 to ${MAX_MS}`
      : undefined;
  },
});

const noNetwork = (lab: Lab) => (networkTargetsOf(lab).length === 0 ? 'it connects to no store' : undefined);

/** The proxy of a fault's target, which the run set up before the labs connected. */
const proxyOf = (
  arg: string | undefined,
  proxies: Readonly<Record<string, NetworkProxy>> | undefined,
): NetworkProxy => {
  const target = (arg ?? '').split(':')[0] ?? '';
  const proxy = proxies?.[target];
  if (!proxy) throw new Error(`no network proxy to ${target} in this run`);
  return proxy;
};

export const latencyFault: FaultDefinition = {
  name: 'latency',
  argument: targetArgument(true, 'the delay added to every reply'),
  description:
    'Routes the lab’s connections to one store through Toxiproxy and, while on, delays every reply from it by <ms> (targets: postgres, redis, redlock-node-<i>). Kleppmann’s other example: with redis-lock and latency on postgres at least its --lock-ttl, the lease expires while the read and the write are on their way, a second holder gets in, and the run is UNSAFE without --fencing and safe with it (stale holders refused with stale_token). Slower everywhere else, never a violation a lab does not commit.',
  target: 'network',
  notApplicable: noNetwork,
  nemesis: (arg, context) => {
    const ms = Number((arg ?? '').split(':')[1]);
    const proxy = proxyOf(arg, context.proxies);
    return {
      name: 'latency',
      ...(arg === undefined ? {} : { arg }),
      start: () => proxy.addLatency(ms),
      stop: () => proxy.removeLatency().catch(() => {}),
    };
  },
};

export const partitionFault: FaultDefinition = {
  name: 'partition',
  argument: targetArgument(false, 'how long the partition lasts (default: until the fault stops)'),
  description:
    'Routes the lab’s connections to one store through Toxiproxy and, while on, cuts them: open connections close and new ones are refused (for <ms>, or until the fault stops). Operations on the cut connections fail or become info; the run goes on once the network heals, and holds to every invariant. Redlock with one node partitioned keeps its majority.',
  target: 'network',
  notApplicable: noNetwork,
  nemesis: (arg, context) => {
    const ms = msFrom((arg ?? '').split(':')[1]);
    const proxy = proxyOf(arg, context.proxies);
    let heal: NodeJS.Timeout | undefined;
    return {
      name: 'partition',
      ...(arg === undefined ? {} : { arg }),
      costsOperations: true,
      start: async () => {
        await proxy.cut();
        if (ms !== undefined) {
          heal = setTimeout(() => void proxy.restore().catch(() => {}), ms);
          heal.unref();
        }
      },
      stop: async () => {
        clearTimeout(heal);
        await proxy.restore().catch(() => {});
      },
    };
  },
};

/** The targets that a run's network faults need routed through a proxy. */
export const networkTargetsIn = (faults: readonly FaultRequest[]): string[] => [
  ...new Set(
    faults
      .filter((fault) => fault.definition.target === 'network')
      .map((fault) => (fault.arg ?? '').split(':')[0] ?? ''),
  ),
];
