import type { Lab, ResolvedLabOptions } from '@concurrency-lab/model';

/**
 * A server process the run started and a fault may act on (a redis-server node): the harness sees
 * only these controls, so that it needs no Redis; @concurrency-lab/redis's RedisNode has them.
 */
export interface FaultProcess {
  readonly url: string;
  /** Undefined while it is not running (killed, not yet restarted). */
  readonly pid: number | undefined;
  readonly state: 'running' | 'paused' | 'stopped';
  /** SIGKILL; resolves once it has exited. */
  kill(): Promise<void>;
  /** SIGSTOP. */
  pause(): void;
  /** SIGCONT; nothing if it is not paused. */
  resume(): void;
  /** A fresh, empty process on the same port (nothing was persisted). */
  restart(): Promise<void>;
}

/**
 * What a fault may reach in one run, built by @concurrency-lab/services from what it started for
 * this run: only processes and connections of this run, never anything it found running.
 */
export interface FaultContext {
  readonly lab: Lab;
  readonly options: ResolvedLabOptions;
  /**
   * The redis-server nodes of the lab's lock service, when the run started them: redis-lock's and
   * redis-lua's one node, redlock's five. Undefined when they run elsewhere (LAB_REDIS_URL, LAB_REDLOCK_URLS).
   */
  readonly redisNodes?: readonly FaultProcess[];
  /** Ends every Postgres backend of this run's own connections (pg_terminate_backend); resolves to how many. */
  readonly terminateBackends?: () => Promise<number>;
  /** The network proxies this run's connections go through, by target (`postgres`, `redlock-node-2`). */
  readonly proxies?: Readonly<Record<string, NetworkProxy>>;
  /** The app replicas this run started (`lab run --http --replicas N`); absent in process. */
  readonly replicas?: FaultReplicas;
}

/** A proxy between the labs and one store (Toxiproxy's), as the network faults drive it. */
export interface NetworkProxy {
  /** Every reply from the store arrives `ms` later. */
  addLatency(ms: number): Promise<void>;
  removeLatency(): Promise<void>;
  /** Closes every connection and refuses new ones, until `restore`. */
  cut(): Promise<void>;
  restore(): Promise<void>;
}

/** The app replicas of a run over HTTP, as a fault sees them. */
export interface FaultReplicas {
  /** The pid of each replica's current process, in order (a restarted one has a new pid). */
  pids(): ReadonlyArray<number | undefined>;
  /** Resolves once replica `index` answers its health check again; rejects after `timeoutMs`. */
  untilServing(index: number, timeoutMs: number): Promise<void>;
}

/** What a fault acts on, so that a run can say before it starts whether the fault can reach it. */
export type FaultTarget = 'redis-nodes' | 'postgres-backends' | 'replicas' | 'network';
