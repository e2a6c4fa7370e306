import { type History, keyedOpId, type Op, type OpRequest, type OpValue } from '@concurrency-lab/harness';
import type { Outcome } from '@concurrency-lab/model';

/**
 * The operations one replica served for one lab since its last reset, recorded as the harness
 * records them (same Op shape, so the same checkers read them). Timestamps are milliseconds on this
 * process's monotonic clock since the reset; they are only ever compared with each other.
 * Bounded: past `limit` ops it stops recording and says so (`truncated`), because a long-running
 * server must not grow without end; the checks then fall back to the shared ledger alone.
 */
export class HttpHistory {
  readonly #replicaId: string;
  readonly #process: number;
  readonly #limit: number;
  #ops: Op[] = [];
  #origin = performance.now();
  #truncated = false;
  // Never reset: op ids stay unique for the life of the process, across resets too.
  #sequence = 0;

  /**
   * @param replicaId unique per process; op ids (and so ledger rows) carry it, so ids of different
   *   replicas never collide in the ledger they share.
   * @param process the replica's index, recorded as the op's `process`.
   */
  constructor(replicaId: string, process: number, limit = 200_000) {
    this.#replicaId = replicaId;
    this.#process = process;
    this.#limit = limit;
  }

  /**
   * Records the invocation of `request` and returns the op to complete; its id goes to the lab
   * (and so to the ledger), with the client's `opKey` in it when it gave one.
   */
  begin(request: OpRequest, opKey?: string): Op {
    const op: Op = {
      index: this.#ops.length,
      id: keyedOpId(`${this.#replicaId}-${++this.#sequence}`, opKey),
      process: this.#process,
      request,
      invokedAt: performance.now() - this.#origin,
      retries: 0,
      conflicts: 0,
      waitedMs: 0,
      deadlocks: 0,
    };
    if (this.#ops.length < this.#limit) this.#ops.push(op);
    else this.#truncated = true;
    return op;
  }

  /** Records the outcome of an op returned by `begin` (its costs were counted on it as they came). */
  complete(op: Op, outcome: Outcome<OpValue>): void {
    op.completedAt = performance.now() - this.#origin;
    op.outcome = outcome;
  }

  /** Forgets every op: called when the lab's state is reset, so a check sees only the new run. */
  clear(): void {
    this.#ops = [];
    this.#origin = performance.now();
    this.#truncated = false;
  }

  get ops(): History {
    return this.#ops;
  }

  /** True when ops were served but not recorded (the limit was reached). */
  get truncated(): boolean {
    return this.#truncated;
  }
}
