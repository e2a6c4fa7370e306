import type { History } from '../history/op.ts';

/** What one replica answered in a run whose clients were spread over several. */
export interface ReplicaCounts {
  /** From 1, as `lab serve` numbers them. */
  readonly replica: number;
  readonly url: string;
  readonly ok: number;
  readonly fail: number;
  readonly info: number;
}

/**
 * Client i talks to replica i mod N (the spread of an HTTP run), so each operation's process says
 * which replica answered it: ok, fail and info counted per replica, in replica order.
 */
export const countByReplica = (history: History, urls: readonly string[]): ReplicaCounts[] => {
  const rows = urls.map((url, i) => ({ replica: i + 1, url, ok: 0, fail: 0, info: 0 }));
  for (const op of history) {
    const row = rows[op.process % urls.length];
    if (!row || !op.outcome) continue;
    row[op.outcome.type]++;
  }
  return rows;
};

/** The replica that client `process` talks to, as countByReplica assumes. */
export const replicaOfClient = <T>(process: number, replicas: readonly T[]): T =>
  replicas[process % replicas.length] as T;

/** How a run over HTTP was served: by replicas it started itself, or by a server it was pointed at. */
export interface OverHttp {
  /** `started`: services and replicas started for the run; `target`: a running server (--target). */
  readonly servers: 'started' | 'target';
  /** Replicas serving the lab (a target URL may balance over several: its /health says how many). */
  readonly replicas: number;
  /** One row per URL the clients were spread over. */
  readonly byReplica: readonly ReplicaCounts[];
}
