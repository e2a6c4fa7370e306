import {
  accountSubject,
  type BasketLine,
  itemSubject,
  type Outcome,
  type Reservation,
  type ReservedLine,
  type TransferBalances,
} from '@concurrency-lab/model';

/** What a simulated client asks for; `read` goes to the store, the rest to the lab's session. */
export type OpRequest =
  | { readonly kind: 'withdraw'; readonly accountId: number; readonly amount: number }
  | { readonly kind: 'deposit'; readonly accountId: number; readonly amount: number }
  | { readonly kind: 'reserve'; readonly sku: string; readonly qty: number }
  | { readonly kind: 'transfer'; readonly from: number; readonly to: number; readonly amount: number }
  | { readonly kind: 'basket'; readonly lines: readonly BasketLine[] }
  | {
      readonly kind: 'withdraw-joint';
      readonly accountId: number;
      readonly partnerId: number;
      readonly amount: number;
    }
  | { readonly kind: 'read'; readonly accountId: number }
  | NemesisRequest;

/**
 * A fault's start or stop, recorded among the clients' operations (as Jepsen records its nemesis), so
 * that a reader sees which operations overlapped it; it changes nothing and every checker skips it.
 */
export interface NemesisRequest {
  readonly kind: 'nemesis';
  readonly phase: 'start' | 'stop';
  /** The fault's name, as `--fault` takes it (e.g. `kill-redis-nodes`), and its argument if any. */
  readonly fault: string;
  readonly arg?: string;
}

/** The process number of an operation no client ran: a fault's start or stop, a row seen only in the ledger. */
export const NO_CLIENT = -1;

export type OpKind = OpRequest['kind'];

/**
 * The value an `ok` outcome carries: a balance, the counts after a reservation, both balances after
 * a transfer, every line's counts after a basket, or a read balance.
 */
export type OpValue = number | Reservation | TransferBalances | readonly ReservedLine[] | null;

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
  /** Times the database chose this operation as a deadlock victim. */
  deadlocks: number;
  /**
   * For an `info` op, what the ledger said after the run (resolveUnknowns): its change took effect
   * (`applied`) or did not (`not-applied`). The outcome stays `info`: the client never learned it.
   */
  resolution?: UnknownResolution;
}

/** What the ledger shows of an operation whose outcome the client never learned. */
export type UnknownResolution = 'applied' | 'not-applied';

export type History = readonly Op[];

/** One subject a request changes, in the ledger's notation, and the signed change it makes there. */
export interface Change {
  readonly subject: string;
  readonly delta: number;
}

/**
 * What a request changes when it takes effect, one entry per subject: a balance (a transfer: two),
 * or `available` for a reservation (a basket: one per line). None for a read.
 */
export const changesOf = (request: OpRequest): readonly Change[] => {
  switch (request.kind) {
    case 'withdraw':
    case 'withdraw-joint':
      return [{ subject: accountSubject(request.accountId), delta: -request.amount }];
    case 'deposit':
      return [{ subject: accountSubject(request.accountId), delta: request.amount }];
    case 'reserve':
      return [{ subject: itemSubject(request.sku), delta: -request.qty }];
    case 'transfer':
      return [
        { subject: accountSubject(request.from), delta: -request.amount },
        { subject: accountSubject(request.to), delta: request.amount },
      ];
    case 'basket':
      return request.lines.map((line) => ({ subject: itemSubject(line.sku), delta: -line.qty }));
    case 'read':
    case 'nemesis':
      return [];
  }
};

/** Whether a request asks to change state: not a read, not a fault's start or stop. */
export const isChange = (request: OpRequest): request is Exclude<OpRequest, { kind: 'read' | 'nemesis' }> =>
  request.kind !== 'read' && request.kind !== 'nemesis';

/** Whether an operation is a fault's start or stop rather than a client's. */
export const isNemesisOp = (op: Op): op is Op & { readonly request: NemesisRequest } =>
  op.request.kind === 'nemesis';

/** A value an ok operation reports for one subject: the balance, or the available count, after it. */
export interface ReportedValue {
  readonly subject: string;
  readonly value: number;
}

/** Every balance or available count an ok change reports, by subject; none for a read or a non-ok op. */
export const reportedValues = (op: Op): readonly ReportedValue[] => {
  const { request, outcome } = op;
  if (outcome?.type !== 'ok' || !isChange(request)) return [];
  const value = outcome.value;
  switch (request.kind) {
    case 'withdraw':
    case 'deposit':
    case 'withdraw-joint':
      return typeof value === 'number' ? [{ subject: accountSubject(request.accountId), value }] : [];
    case 'reserve': {
      const available = (value as Reservation | null)?.available;
      return typeof available === 'number' ? [{ subject: itemSubject(request.sku), value: available }] : [];
    }
    case 'transfer': {
      const after = value as TransferBalances | null;
      return after
        ? [
            { subject: accountSubject(request.from), value: after.from },
            { subject: accountSubject(request.to), value: after.to },
          ]
        : [];
    }
    case 'basket':
      return Array.isArray(value)
        ? (value as readonly ReservedLine[]).map((line) => ({
            subject: itemSubject(line.sku),
            value: line.available,
          }))
        : [];
  }
};

const callOf = (r: OpRequest): string => {
  switch (r.kind) {
    case 'reserve':
      return `reserve(${r.sku}, ${r.qty})`;
    case 'read':
      return `read(${r.accountId})`;
    case 'nemesis':
      return `nemesis ${r.phase} ${r.fault}${r.arg === undefined ? '' : `:${r.arg}`}`;
    case 'transfer':
      return `transfer(${r.from} → ${r.to}, ${r.amount})`;
    case 'basket':
      return `basket(${r.lines.map((line) => `${line.sku}×${line.qty}`).join(', ')})`;
    case 'withdraw-joint':
      return `withdraw-joint(${r.accountId} with ${r.partnerId}, ${r.amount})`;
    default:
      return `${r.kind}(${r.accountId}, ${r.amount})`;
  }
};

/** A short human description of an op, used in violation examples. */
export const describeOp = (op: Op): string => {
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
  return `#${op.index} ${callOf(op.request)} → ${result} ${time}`;
};
