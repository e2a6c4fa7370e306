import { setTimeout as sleep } from 'node:timers/promises';
import {
  type FaultContext,
  type FaultDefinition,
  type FaultProcess,
  holderStallNemesis,
} from '@concurrency-lab/harness';
import { onShutdown } from '@concurrency-lab/lifecycle';
import type { Lab, ResolvedLabOptions } from '@concurrency-lab/model';
import { RECONNECT_MAX_MS, REDLOCK_NODE_COUNT } from '@concurrency-lab/redis';

/** How many redis-server nodes the lab's lock or state service has: redlock's five, else one. */
const nodeCountOf = (lab: Lab): number => (lab.needs.includes('redlock') ? REDLOCK_NODE_COUNT : 1);

const usesRedis = (lab: Lab): string | undefined =>
  lab.needs.includes('redis') || lab.needs.includes('redlock') ? undefined : 'it uses no Redis';

/** The lease the lab takes (`lock-ttl`, ms), if any. */
// Past the longest reconnect wait, for the reconnection itself (a connect and a PING on loopback).
const RECONNECT_SLACK_MS = 250;

const leaseOf = (options: ResolvedLabOptions): number | undefined =>
  typeof options['lock-ttl'] === 'number' ? options['lock-ttl'] : undefined;

/** The nodes the run started, or an error saying none were: faults act only on processes the run started. */
const nodesOf = ({ redisNodes, lab }: FaultContext): readonly FaultProcess[] => {
  if (!redisNodes || redisNodes.length === 0)
    throw new Error(`this run started no redis-server node for lab ${lab.name}; there is nothing to act on`);
  return redisNodes;
};

const countArgument = (what: string): FaultDefinition['argument'] => ({
  placeholder: '<k>',
  optional: false,
  accepted: `an integer from 1 to the lab's node count (redlock: ${REDLOCK_NODE_COUNT}; redis-lock, redis-lua: 1), the nodes to ${what}`,
  check: (text, lab) => {
    const k = Number(text);
    const max = nodeCountOf(lab);
    return text.trim() !== '' && Number.isSafeInteger(k) && k >= 1 && k <= max
      ? undefined
      : `lab ${lab.name} has ${max} node${max === 1 ? '' : 's'}`;
  },
});

export const killRedisNodesFault: FaultDefinition = {
  name: 'kill-redis-nodes',
  argument: countArgument('kill'),
  description:
    'SIGKILLs k of the redis-server nodes the run started, as a crash would, and restarts them when the fault stops, no sooner than one lock-ttl after the kill (the delayed restart the Redlock paper asks for, so no lock a dead node had granted can be granted twice). Concerns redlock, redis-lock and redis-lua. Expect redlock with k=2 to keep working on its three other nodes and stay safe; with k=3 it has no majority: operations fail fast with quorum_unavailable (about a second, not the acquire timeout), zero violations. The one node of redis-lock and redis-lua with k=1: operations fail or become info while it is down, never a violation (that node keeps an append-only file: nothing it acknowledged is lost).',
  target: 'redis-nodes',
  notApplicable: usesRedis,
  nemesis: (arg, context) => {
    const k = Number(arg);
    let killed: readonly FaultProcess[] = [];
    let killedAt = 0;
    return {
      name: 'kill-redis-nodes',
      costsOperations: true,
      ...(arg === undefined ? {} : { arg }),
      start: async () => {
        killed = nodesOf(context).slice(0, k);
        killedAt = performance.now();
        await Promise.all(killed.map((node) => node.kill()));
      },
      stop: async () => {
        const lease = leaseOf(context.options) ?? 0;
        const wait = killedAt + lease - performance.now();
        if (wait > 0) await sleep(wait);
        await Promise.all(killed.filter((node) => node.state === 'stopped').map((node) => node.restart()));
      },
    };
  },
};

export const pauseRedisNodesFault: FaultDefinition = {
  name: 'pause-redis-nodes',
  argument: countArgument('pause'),
  description:
    'SIGSTOPs k of the redis-server nodes the run started and SIGCONTs them when the fault stops (also on Ctrl-C and at exit): a stalled node keeps its connections and answers nothing, so commands to it wait for their timeout instead of failing at once. Concerns redlock, redis-lock and redis-lua. Expect what kill-redis-nodes shows, only slower: redlock with k=2 works and is safe; with k=3 operations fail with quorum_unavailable after the command timeout; the one node of redis-lock and redis-lua: operations fail or become info, never a violation.',
  target: 'redis-nodes',
  notApplicable: usesRedis,
  nemesis: (arg, context) => {
    const k = Number(arg);
    let paused: readonly FaultProcess[] = [];
    let unregister: () => void = () => {};
    const resume = () => {
      for (const node of paused) node.resume();
      unregister();
    };
    return {
      name: 'pause-redis-nodes',
      costsOperations: true,
      ...(arg === undefined ? {} : { arg }),
      start: async () => {
        paused = nodesOf(context).slice(0, k);
        // Ctrl-C during the pause: the nodes continue first, so that stopping them can work.
        unregister = onShutdown('work', resume);
        for (const node of paused) node.pause();
      },
      stop: async () => resume(),
    };
  },
};

/**
 * The Redlock debate's case, made certain: two nodes are down while a client takes its lock (it
 * gets three of five), then, while it holds the lock, one of its three restarts empty and the two
 * come back, so a second client wins a majority of its own while the first is still inside.
 */
export const restartRedisNodeFault: FaultDefinition = {
  name: 'restart-redis-node',
  description:
    'Restarts, without persistence, a Redlock node that voted for a lock still held. Deterministic: when the fault starts two nodes are down, so the next lock is granted by the other three; the first operation to hold one then stalls in its critical section while one of its three voters restarts empty and the two come back, until a second client has won three votes of its own (from the empty node and the two) and got in on the same row; then both write. Concerns redlock only (the Redlock debate: Kleppmann, antirez). Expect redlock UNSAFE even though no lease expired, and safe again only with fencing or with delayed restarts.',
  target: 'redis-nodes',
  inProcess: true,
  notApplicable: (lab) =>
    lab.needs.includes('redlock') ? undefined : 'only Redlock counts votes of several nodes',
  nemesis: (_arg, context) => {
    let down: readonly FaultProcess[] = [];
    let voter: FaultProcess | undefined;
    const lease = leaseOf(context.options) ?? 0;
    let restarted: Promise<void> = Promise.resolve();
    // The holder stalls while the two come back and then its voter restarts (four nodes stay up
    // throughout), then until a second client has got in (within the holder's lease).
    const holder = holderStallNemesis('restart-redis-node', {
      stallMs: 0,
      overtakeWaitMs: lease,
      whileHeld: () => {
        restarted = (async () => {
          await Promise.all(down.map((node) => node.restart()));
          // The lab's connections to the two come back on their own reconnect backoff. Until they
          // have, restarting the voter would leave the lab seeing fewer than a quorum up, and every
          // operation would fail at once (quorum_unavailable) before a second client could get in.
          await sleep(RECONNECT_MAX_MS + RECONNECT_SLACK_MS);
          await voter?.restart();
        })();
        return restarted;
      },
    });
    return {
      name: 'restart-redis-node',
      costsOperations: true,
      start: async () => {
        const nodes = nodesOf(context);
        down = nodes.slice(REDLOCK_NODE_COUNT - 2);
        voter = nodes[0];
        await Promise.all(down.map((node) => node.kill()));
        await holder.start?.();
      },
      betweenReadAndWrite: (op) => holder.betweenReadAndWrite?.(op) ?? Promise.resolve(),
      stop: async () => {
        await holder.stop?.();
        // A restart under way finishes first: a node is never started twice at once.
        await restarted.catch(() => {});
        await Promise.all(down.filter((node) => node.state === 'stopped').map((node) => node.restart()));
      },
    };
  },
};
