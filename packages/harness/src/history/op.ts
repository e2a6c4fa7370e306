import type { Outcome, Reservation } from '@concurrency-lab/model';

/** What a simulated client asks for; `read` goes to the store, the rest to the lab's session. */
export type OpRequest =
  | { readonly kind: 'withdraw'; readonly accountId: number; readonly amount: number }
  | { readonly kind: 'deposit'; readonly accountId: number; readonly amount: number }
  | { readonly kind: 'reserve'; readonly sku: string; readonly qty: number }
  | { readonly kind: 'read'; readonly accountId: number };

export type OpKind = OpRequest['kind'];

/** The value an `ok` outcome carries: a balance, the counts after a reservation, or a read balance. */
export type OpValue = number | Reservation | null;

/**
 * One operation as the history records it: invoked at `invokedAt`, completed at `completedAt`
 * (both milliseconds on a monotonic clock from the start of the run), with its outcome.
 */
export interface Op {
  readonly index: number;
  readonly id: string;
  /** The simulated client (worker) that ran it. */
  readonly process: number;
  readonly request: OpRequest;
  readonly invokedAt: number;
  completedAt?: number;
  outcome?: Outcome<OpValue>;
  /** What the strategy reported through its OpContext. */
  retries: number;
  conflicts: number;
  waitedMs: number;
}

export type History = readonly Op[];

/** The subject a request changes or reads, in the ledger's notation. */
export const subjectOf = (request: OpRequest): string =>
  request.kind === 'reserve' ? `item:${request.sku}` : `account:${request.accountId}`;

/** The signed change a request makes when it takes effect (for a reservation: of `available`). */
export const deltaOf = (request: OpRequest): number => {
  switch (request.kind) {
    case 'withdraw':
      return -request.amount;
    case 'deposit':
      return request.amount;
    case 'reserve':
      return -request.qty;
    case 'read':
      return 0;
  }
};

/** The balance or available count an ok outcome reports, if any. */
export const reportedValue = (op: Op): number | undefined => {
  if (op.outcome?.type !== 'ok') return undefined;
  const value = op.outcome.value;
  if (typeof value === 'number') return value;
  if (value && typeof value === 'object') return value.available;
  return undefined;
};

export const isChange = (request: OpRequest): boolean => request.kind !== 'read';

/** A short human description of an op, used in violation examples. */
export const describeOp = (op: Op): string => {
  const r = op.request;
  const call =
    r.kind === 'reserve'
      ? `reserve(${r.sku}, ${r.qty})`
      : r.kind === 'read'
        ? `read(${r.accountId})`
        : `${r.kind}(${r.accountId}, ${r.amount})`;
  const o = op.outcome;
  const result =
    o === undefined
      ? 'pending'
      : o.type === 'ok'
        ? `ok ${JSON.stringify(o.value)}`
        : o.type === 'fail'
          ? `fail ${o.reason}`
          : `info ${o.error}`;
  const time = `[${op.invokedAt.toFixed(1)}–${op.completedAt?.toFixed(1) ?? '?'} ms]`;
  return `#${op.index} ${call} → ${result} ${time}`;
};
