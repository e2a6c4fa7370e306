import { setTimeout as sleep } from 'node:timers/promises';
import type { LockRefusal } from '@concurrency-lab/locks';
import type { RedlockNode } from '@concurrency-lab/redis';
import type { Redis } from 'ioredis';
import { type ExecutionStats, ResourceLockedError } from './redlock-package.ts';

/** How often a node that stopped answering is asked (PING) whether it is back. */
const RECHECK_MS = 500;

/**
 * Which Redlock nodes are known to be down right now: a node whose connection is not up (refused,
 * reconnecting), or one whose last vote failed for a reason other than the lock being held (it timed
 * out: a paused or unreachable node) and that has not answered a PING since. With fewer than a quorum
 * left, no lock can be granted, and asking the nodes again would only wait for them to time out.
 */
export class NodeHealth {
  readonly #nodes: readonly RedlockNode[];
  readonly #quorum: number;
  /** Why each node that stopped answering is taken for down, until it answers again. */
  readonly #silent = new Map<Redis, string>();

  constructor(nodes: readonly RedlockNode[]) {
    this.#nodes = nodes;
    this.#quorum = Math.floor(nodes.length / 2) + 1;
  }

  /** Learns from one attempt's votes: a node that voted either way answers; one that failed otherwise does not. */
  record(stats: ExecutionStats): void {
    for (const client of stats.votesFor) this.#silent.delete(client as Redis);
    for (const [client, error] of stats.votesAgainst) {
      if (error instanceof ResourceLockedError) this.#silent.delete(client as Redis);
      else this.#markSilent(client as Redis, error.message);
    }
  }

  /** `quorum_unavailable` when fewer than a quorum of nodes could answer now, naming those that cannot; else undefined. */
  refusal(): LockRefusal | undefined {
    const down = this.#nodes.flatMap((node) => {
      const why =
        node.client.status === 'ready' ? this.#silent.get(node.client) : `connection ${node.client.status}`;
      return why === undefined ? [] : [`${node.url}: ${why}`];
    });
    if (this.#nodes.length - down.length >= this.#quorum) return undefined;
    return {
      reason: 'quorum_unavailable',
      message: `${down.length} of ${this.#nodes.length} Redlock nodes are down, fewer than the quorum of ${this.#quorum} left (${down.join('; ')})`,
    };
  }

  #markSilent(client: Redis, why: string): void {
    const probing = this.#silent.has(client);
    this.#silent.set(client, why);
    if (!probing) void this.#probe(client);
  }

  /** PINGs a silent node until it answers (then it counts again) or its connection is closed for good. */
  async #probe(client: Redis): Promise<void> {
    while (this.#silent.has(client) && client.status !== 'end') {
      // Unreferenced: a probe must never keep a finished process alive.
      await sleep(RECHECK_MS, undefined, { ref: false });
      try {
        await client.ping();
        this.#silent.delete(client);
      } catch {
        // Still down; the next probe comes after the pause.
      }
    }
  }
}
