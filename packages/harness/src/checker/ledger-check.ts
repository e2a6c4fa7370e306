import type { LedgerEntry, State } from '@concurrency-lab/model';
import type { ExpectedOutcome, Scenario } from '../generator/scenario.ts';
import type { History, Op, OpRequest, OpValue } from '../history/op.ts';
import { allCheckers } from './all-checkers.ts';
import { resolveUnknowns, type UnknownOutcomes } from './unknown-resolution.ts';
import type { ComposedVerdict } from './verdict.ts';

export interface LedgerCheckInput {
  /** The scenario the state was reset to: its initial state and its expected outcome. */
  readonly scenario: Scenario;
  /** The lab's state now, and its ledger, both shared by every replica. */
  readonly final: State;
  readonly ledger: readonly LedgerEntry[];
  /** The ops this replica served since the reset; undefined to check from the ledger alone. */
  readonly local: History | undefined;
  /** How many replicas served the traffic (1: this one saw every operation). */
  readonly replicas: number;
}

/** What a check could see, so that a reader knows how far its verdict reaches. */
export interface CheckCoverage {
  /** Operations this replica served and whose outcomes it checked directly. */
  readonly localOps: number;
  readonly ledgerRows: number;
  /** Ledger rows of operations that other replicas served, checked as ok operations. */
  readonly opsFromLedger: number;
  /** Whether the counts of failures were compared with the scenario's (only if one replica saw all). */
  readonly failCountsChecked: boolean;
}

export interface LedgerCheckResult {
  readonly verdict: ComposedVerdict;
  /** How this replica's own `info` operations resolved in the ledger. */
  readonly unknownOutcomes: UnknownOutcomes;
  readonly coverage: CheckCoverage;
}

const subjectPattern = /^(account|item):(.+)$/;

/** How describeOp prints the span of an op from the ledger (invoked at 0, completed at +Infinity). */
const BORROWED_SPAN = '[0.0–Infinity ms]';

/** The account id of an `account:<id>` subject, the sku of an `item:<sku>` one. */
const accountOf = (row: LedgerEntry | undefined) => {
  const [, type, key] = subjectPattern.exec(row?.subject ?? '') ?? [];
  return type === 'account' && key !== undefined ? Number(key) : undefined;
};
const skuOf = (row: LedgerEntry | undefined) => {
  const [, type, key] = subjectPattern.exec(row?.subject ?? '') ?? [];
  return type === 'item' ? key : undefined;
};

/**
 * The request that one operation's ledger rows stand for. Rows carry the subject, the kind and the
 * signed delta, which is everything a request has (a transfer's two rows give its accounts and
 * amount, a basket's rows its lines); rows that fit no request shape (a transfer with one row, a
 * lab writing malformed rows) give none, and the ledger checker then reports them as unknown.
 */
const requestOf = (rows: readonly LedgerEntry[]): OpRequest | undefined => {
  const [row] = rows;
  const kinds = new Set(rows.map((r) => r.kind));
  if (!row || kinds.size !== 1) return undefined;
  const accountId = accountOf(row);
  const sku = skuOf(row);
  if (rows.length === 1 && accountId !== undefined && (row.kind === 'withdraw' || row.kind === 'deposit'))
    return { kind: row.kind, accountId, amount: Math.abs(row.delta) };
  if (rows.length === 1 && sku !== undefined && row.kind === 'reserve')
    return { kind: 'reserve', sku, qty: -row.delta };
  if (row.kind === 'transfer' && rows.length === 2) {
    const debit = rows.find((r) => r.delta < 0);
    const credit = rows.find((r) => r.delta > 0);
    const [from, to] = [accountOf(debit), accountOf(credit)];
    if (debit && credit && -debit.delta === credit.delta && from !== undefined && to !== undefined)
      return { kind: 'transfer', from, to, amount: credit.delta };
  }
  if (row.kind === 'basket') {
    const lines = rows.map((r) => ({ sku: skuOf(r), qty: -r.delta }));
    if (lines.every((line) => line.sku !== undefined))
      return { kind: 'basket', lines: lines as { sku: string; qty: number }[] };
  }
  return undefined;
};

/**
 * An ok op for the ledger rows of one operation that no local op accounts for. Its time is unknown,
 * so it is made to span the whole run (invoked at 0, completed at +Infinity): it then overlaps every
 * other op and the real-time-order check never judges it, while lost updates (two rows with the
 * same resulting value) and conservation still count it.
 */
export const opFromLedger = (rows: readonly LedgerEntry[], index: number, initial: State): Op | undefined => {
  const request = requestOf(rows);
  const first = rows[0];
  if (!request || !first) return undefined;
  const after = (subject: string) => rows.find((r) => r.subject === subject)?.resultingValue ?? 0;
  const countsOf = (sku: string) => {
    const before = initial.items.find((item) => item.sku === sku);
    const available = after(`item:${sku}`);
    return { available, reserved: (before ? before.available + before.reserved : available) - available };
  };
  const value: OpValue =
    request.kind === 'reserve'
      ? countsOf(request.sku)
      : request.kind === 'transfer'
        ? { from: after(`account:${request.from}`), to: after(`account:${request.to}`) }
        : request.kind === 'basket'
          ? request.lines.map((line) => ({ sku: line.sku, ...countsOf(line.sku) }))
          : first.resultingValue;
  return {
    index,
    id: first.opId,
    process: -1,
    request,
    invokedAt: 0,
    completedAt: Number.POSITIVE_INFINITY,
    outcome: { type: 'ok', value },
    retries: 0,
    conflicts: 0,
    waitedMs: 0,
    deadlocks: 0,
  };
};

/**
 * Runs every checker on what one client of a shared store can know: its own ops and the store's
 * ledger (a server replica after HTTP traffic; a harness client that is one of several).
 *
 * Why this shape: each replica records only the requests it served, but the state and the ledger
 * (one row per change that took effect, written by the strategy itself) live in the shared store.
 * So the history checked is this replica's own ops, with their real outcomes and times, plus one
 * synthetic ok op for every ledger row that none of them accounts for (operations other replicas
 * served). That keeps every check that the state and ledger can decide across replicas: nothing
 * negative, conservation (final = initial + ledger deltas), oversold stock, lost updates (two
 * changes reporting the same resulting value), the exact number of ok operations and the final
 * state the scenario demands. What only a full history can decide (how many failed, and why, and
 * real-time order across replicas) is checked on this replica's own ops only; failure counts are
 * compared with the scenario's only when one replica served everything. A load tool that counts
 * responses (k6) checks those counts from the client side.
 */
export const checkWithLedger = ({
  scenario,
  final,
  ledger,
  local,
  replicas,
}: LedgerCheckInput): LedgerCheckResult => {
  const ownOps = local ?? [];
  const known = new Set(ownOps.map((op) => op.id));
  // With a single replica, a row that no local op explains is a real anomaly (ledger-unknown-op),
  // so it is left for the ledger checker to report instead of being explained away.
  const borrow = replicas > 1 || local === undefined;
  const borrowed: Op[] = [];
  if (borrow) {
    const othersRows = new Map<string, LedgerEntry[]>();
    for (const row of ledger) {
      if (!known.has(row.opId)) othersRows.set(row.opId, [...(othersRows.get(row.opId) ?? []), row]);
    }
    for (const rows of othersRows.values()) {
      const op = opFromLedger(rows, ownOps.length + borrowed.length, scenario.initialState);
      if (op) borrowed.push(op);
    }
  }
  const failCountsChecked = !borrow;
  const expected: ExpectedOutcome = failCountsChecked
    ? scenario.expected
    : { ...scenario.expected, fail: undefined };
  const unknownOutcomes = resolveUnknowns(ownOps, ledger);
  const checked = allCheckers.check({
    initial: scenario.initialState,
    final,
    history: [...ownOps, ...borrowed],
    ledger,
    expected,
  });
  // Examples print an op's time span; for an op known only from the ledger, say so instead.
  const relabel = <V extends { readonly violations: readonly { readonly example: string }[] }>(v: V): V => ({
    ...v,
    violations: v.violations.map((violation) => ({
      ...violation,
      example: violation.example.replaceAll(BORROWED_SPAN, '[served by another replica]'),
    })),
  });
  const verdict: ComposedVerdict = {
    ...relabel(checked),
    byChecker: Object.fromEntries(Object.entries(checked.byChecker).map(([name, v]) => [name, relabel(v)])),
  };
  return {
    verdict,
    unknownOutcomes,
    coverage: {
      localOps: ownOps.length,
      ledgerRows: ledger.length,
      opsFromLedger: borrowed.length,
      failCountsChecked,
    },
  };
};
