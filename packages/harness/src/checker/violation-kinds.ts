/** What a magnitude measures, beside the count of events. */
export type MagnitudeUnit = 'money' | 'units' | 'ledger rows';

export interface ViolationKind {
  /** What one count is: a violation's count is always a number of these events, never an amount. */
  readonly counts:
    | 'accounts'
    | 'items'
    | 'accounts or items'
    | 'customers'
    | 'operations'
    | 'ledger rows'
    | 'outcome counts'
    | 'totals';
  /** The amount involved, summed over the events, where one applies (money created, units oversold). */
  readonly magnitude?: MagnitudeUnit;
  /** One sentence: what broke. */
  readonly meaning: string;
}

/**
 * Every kind of broken promise a checker can report, with what its count counts and what its
 * magnitude measures: so that "money-created" says 1 account and 19 422 money, not "×19 422".
 */
export const VIOLATION_KINDS = {
  'negative-balance': {
    counts: 'accounts',
    magnitude: 'money',
    meaning: 'an account ends below 0 (magnitude: how far below, summed)',
  },
  'negative-stock': {
    counts: 'items',
    magnitude: 'units',
    meaning: 'an item ends with fewer than 0 available (magnitude: how far below, summed)',
  },
  'negative-reported': {
    counts: 'operations',
    meaning: 'an ok operation reported a balance or an available count below 0',
  },
  'stock-total-changed': {
    counts: 'items',
    magnitude: 'units',
    meaning: 'available + reserved is no longer the initial total (magnitude: the difference)',
  },
  'money-created': {
    counts: 'accounts',
    magnitude: 'money',
    meaning: 'an account ends above initial + its ok changes: a debit was lost',
  },
  'money-destroyed': {
    counts: 'accounts',
    magnitude: 'money',
    meaning: 'an account ends below initial + its ok changes: a credit was lost',
  },
  'stock-created': {
    counts: 'items',
    magnitude: 'units',
    meaning: 'an item ends with more available than initial + its ok reservations allow',
  },
  'stock-destroyed': {
    counts: 'items',
    magnitude: 'units',
    meaning: 'an item ends with less available than initial + its ok reservations allow',
  },
  'total-balance-changed': {
    counts: 'totals',
    magnitude: 'money',
    meaning:
      'the money in all accounts together is not the initial total plus the ok deposits and withdrawals (a transfer changes none)',
  },
  'total-stock-changed': {
    counts: 'totals',
    magnitude: 'units',
    meaning: 'the units of all items together (available + reserved) are not the initial total',
  },
  oversold: {
    counts: 'items',
    magnitude: 'units',
    meaning: 'ok reservations took more units than there were (magnitude: units sold beyond the stock)',
  },
  'ledger-missing': { counts: 'operations', meaning: 'an ok change has no ledger row' },
  'ledger-for-failed-op': { counts: 'operations', meaning: 'a failed change has a ledger row' },
  'ledger-duplicate': {
    counts: 'operations',
    magnitude: 'ledger rows',
    meaning: 'a change has more than one ledger row (magnitude: the extra rows)',
  },
  'ledger-mismatch': {
    counts: 'operations',
    meaning: 'an ok change and its ledger row disagree on the subject, the change or the value after',
  },
  'partly-applied': {
    counts: 'operations',
    meaning:
      'a transfer or basket has ledger rows for some of the rows it changes but not all: it was applied in part',
  },
  'ledger-unknown-op': {
    counts: 'ledger rows',
    meaning: 'a ledger row belongs to no operation of the history',
  },
  'unexpected-outcome': {
    counts: 'outcome counts',
    meaning: 'the number of ok or of a failure reason is not the one the scenario demands',
  },
  'unexpected-final-state': {
    counts: 'accounts or items',
    meaning: 'an account or item does not end where the scenario demands',
  },
  'lost-update': {
    counts: 'operations',
    meaning: 'an ok operation reports the value an earlier one already reported: one overwrote the other',
  },
  'write-skew': {
    counts: 'customers',
    magnitude: 'money',
    meaning:
      "a customer's two accounts end below 0 together: two joint withdrawals each checked a sum the other was changing (magnitude: how far below, summed)",
  },
  'real-time-order': {
    counts: 'operations',
    meaning: 'an operation reports a value that one which completed before it began had already replaced',
  },
} as const satisfies Record<string, ViolationKind>;

export type ViolationKindName = keyof typeof VIOLATION_KINDS;
