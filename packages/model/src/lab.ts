import type { ExpectationRule } from './expectation-rules.ts';
import type { Outcome } from './outcome.ts';
import type { Expectation, LabOptionValue, ScenarioName } from './scenario-terms.ts';
import type { Account, LedgerEntry, State, StockItem } from './state.ts';

export type { Expectation, LabOptionValue, ScenarioName } from './scenario-terms.ts';
export { SCENARIO_NAMES } from './scenario-terms.ts';

export type ExpectationTable = Readonly<Partial<Record<ScenarioName, Expectation>>>;

export interface Reservation {
  readonly available: number;
  readonly reserved: number;
}

/** What an ok transfer reports: the balances of both accounts after it. */
export interface TransferBalances {
  readonly from: number;
  readonly to: number;
}

/** One line of a basket: `qty` units of the item `sku`. */
export interface BasketLine {
  readonly sku: string;
  readonly qty: number;
}

/** What an ok basket reports for each of its lines, in the order asked: the item's counts after. */
export interface ReservedLine extends Reservation {
  readonly sku: string;
}

/**
 * Hooks the harness hands to every operation. A strategy calls them; it never times or counts itself.
 */
export interface OpContext {
  /** Unique id of this operation; the ledger row of a successful change carries it. */
  readonly id: string;
  /** Await between reading and writing: the harness widens the race window here when asked to. */
  raceWindow(): Promise<void>;
  /** A conflict was detected (version mismatch, serialization failure); the strategy may retry. */
  conflict(): void;
  /** The strategy is about to try again. */
  retry(): void;
  /** Time spent waiting for a lock, in milliseconds. */
  waited(ms: number): void;
  /** The database chose this operation as a deadlock victim (SQLSTATE 40P01); the strategy may retry. */
  deadlock(): void;
  /**
   * The strategy has just done a step worth showing (`lab trace`): taken a lock, read, written.
   * Awaited, so that a trace can hold the client there; optional, as only the trace asks for it.
   */
  step?(name: OpStepName, detail?: OpStepDetail): Promise<void>;
}

/** The points of an operation a trace can hold a client at, in the order they usually come. */
export const OP_STEP_NAMES = ['lock', 'read', 'write'] as const;
export type OpStepName = (typeof OP_STEP_NAMES)[number];

/** What a step saw or did: balances read or written, by account id, and what it is about (a lock key). */
export interface OpStepDetail {
  readonly balances?: Readonly<Record<number, number>>;
  readonly about?: string;
}

/** One simulated client's connection to a strategy. A session is used by one client at a time. */
export interface LabSession {
  /** value: the balance after the withdrawal. */
  withdraw(accountId: number, amount: number, op: OpContext): Promise<Outcome<number>>;
  /** value: the balance after the deposit. */
  deposit(accountId: number, amount: number, op: OpContext): Promise<Outcome<number>>;
  /** Moves `qty` from available to reserved; value: the counts after. */
  reserve(sku: string, qty: number, op: OpContext): Promise<Outcome<Reservation>>;
  /** Moves `amount` from one account to another, both or neither; value: both balances after. */
  transfer(from: number, to: number, amount: number, op: OpContext): Promise<Outcome<TransferBalances>>;
  /**
   * Withdraws `amount` from `accountId` while the sum of its balance and `partnerId`'s stays at least 0
   * (two accounts of one customer; either may go below 0 alone); value: `accountId`'s balance after.
   * It reads both rows and writes one: the shape of write skew.
   */
  withdrawJoint(
    accountId: number,
    partnerId: number,
    amount: number,
    op: OpContext,
  ): Promise<Outcome<number>>;
  /** Reserves every line, all or nothing; value: each line's item counts after, in the order asked. */
  basket(lines: readonly BasketLine[], op: OpContext): Promise<Outcome<readonly ReservedLine[]>>;
  close(): Promise<void>;
}

/** Where a lab keeps its state: the harness seeds it, reads it and reads the ledger through this. */
export interface LabStore {
  reset(initial: State): Promise<void>;
  readState(): Promise<State>;
  readAccount(id: number): Promise<Account | undefined>;
  readItem(sku: string): Promise<StockItem | undefined>;
  readLedger(): Promise<LedgerEntry[]>;
}

/** Services a lab may need; the catalog starts or connects to each one on demand. */
export type ServiceName = 'postgres' | 'redis' | 'redlock';

/**
 * The services a run provides, each typed by the package that owns it (see `declare module`
 * in @concurrency-lab/postgres and @concurrency-lab/redis), so this package needs neither.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging.
export interface LabServices {}

declare const resolved: unique symbol;
/**
 * A lab's options with defaults filled in and every value checked (resolveLabOptions makes them).
 * A distinct type, so that options are resolved once, where a run is prepared, and trusted after.
 */
export type ResolvedLabOptions = Readonly<Record<string, LabOptionValue>> & { readonly [resolved]: true };

/**
 * What a lab brings for a service it needs, by service (its own migrations, for example), typed by the
 * package that owns the service (see `declare module` in @concurrency-lab/postgres).
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled in by declaration merging.
export interface LabSetup {}

/** A lab-specific option, shown by `lab list` and accepted by `lab run --<name>`. */
export type LabOptionSpec =
  | {
      readonly kind: 'choice';
      readonly description: string;
      readonly choices: readonly string[];
      readonly default: string;
      /** Expectations that differ from the lab's own for some choices. */
      readonly expect?: Readonly<Record<string, ExpectationTable>>;
    }
  | {
      readonly kind: 'integer';
      readonly description: string;
      readonly min: number;
      readonly max: number;
      readonly default: number;
    }
  | {
      /** A bare flag (`--fencing`): resolved to `on` when given, else `off`. */
      readonly kind: 'switch';
      readonly description: string;
      readonly default: 'off';
    };

export interface LabContext {
  /** The lab's name, written into ledger rows. */
  readonly lab: string;
  /** Every option of the lab, defaults filled in and validated. */
  readonly options: ResolvedLabOptions;
  readonly services: LabServices;
  /** Distinguishes runs that share one database or Redis (key prefix, schema). */
  readonly namespace: string;
}

export interface Lab {
  readonly name: string;
  readonly title: string;
  /** One sentence: what protects the state. */
  readonly summary: string;
  readonly needs: readonly ServiceName[];
  /** Expected verdict per supported scenario; a scenario missing here is not supported. */
  readonly expect: ExpectationTable;
  /**
   * Why the lab cannot run each scenario it leaves out of `expect`, so that it is skipped with its
   * reason (`lab run` exits 2 naming it; compare and the conformance suite say "skipped: <reason>").
   */
  readonly unsupported?: Readonly<Partial<Record<ScenarioName, string>>>;
  readonly options?: Readonly<Record<string, LabOptionSpec>>;
  /**
   * True when the lab's protection lives in one process's memory (an in-process mutex): several
   * replicas of a service each have their own, so across replicas it protects nothing.
   */
  readonly processLocal?: boolean;
  /**
   * When the run's options, knobs or faults make the lab's declared verdict change (a lease shorter
   * than the critical section is unsafe), as data: see expectationFor and ExpectationRule.
   */
  readonly expectRules?: readonly ExpectationRule[];
  /**
   * Set when the strategy has no gap between its read and its write (one statement, one script): why.
   * The race window then has nothing to widen, and a run that asks for one says so.
   */
  readonly noGap?: string;
  /** What the lab adds to the services it needs, such as its own migrations (run in the run's schema). */
  readonly setup?: LabSetup;
  /** Opens the store that holds this lab's state (shared by all its sessions). */
  store(ctx: LabContext): LabStore;
  /** Opens one simulated client. */
  open(ctx: LabContext): Promise<LabSession>;
}
