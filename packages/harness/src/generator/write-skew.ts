import type { OpRequest } from '../history/op.ts';
import { rendezvous } from '../nemesis/rendezvous.ts';
import type { Scenario, ScenarioDefinition } from './scenario.ts';

/** The two accounts of customer `c` (0-based): 2c + 1 and 2c + 2. */
const accountsOf = (customer: number) => [2 * customer + 1, 2 * customer + 2] as const;

/**
 * Customers with two accounts each; a withdrawal from either is allowed while the two together stay
 * at or above 0. Each customer gets two withdrawals at once, one from each account, each of which
 * fits the sum alone but not both: exactly one may succeed. A strategy that checks the sum from a
 * snapshot and writes only its own row lets both through (write skew, Hermitage's G2-item).
 */
export const writeSkewScenario = ({
  customers = 100,
  balance = 50,
  amount = 60,
  concurrency = 20,
} = {}): Scenario => ({
  name: 'write-skew',
  title: `${customers} customers with two accounts of ${balance}: one withdrawal of ${amount} from each at once`,
  description:
    'Hermitage’s G2-item (write skew) on the bank: the rule is over two rows (the sum of a customer’s accounts ' +
    'stays at or above 0; either account may go below 0 alone), and each withdrawal reads both and writes one. ' +
    'Snapshot isolation (repeatable read) lets both withdrawals see the old sum and both commit.',
  initialState: {
    accounts: Array.from({ length: customers }, (_, c) =>
      accountsOf(c).map((id) => ({ id, balance, version: 0 })),
    ).flat(),
    items: [],
  },
  defaultConcurrency: concurrency,
  // A customer's two withdrawals are next to each other, so that the clients take them at once.
  ops: () =>
    Array.from({ length: customers }, (_, c): OpRequest[] => {
      const [first, second] = accountsOf(c);
      return [
        { kind: 'withdraw-joint', accountId: first, partnerId: second, amount },
        { kind: 'withdraw-joint', accountId: second, partnerId: first, amount },
      ];
    }).flat(),
  expected:
    2 * balance >= amount && 2 * balance < 2 * amount
      ? { ok: customers, fail: { insufficient_funds: customers } }
      : {},
});

export const writeSkewDefinition: ScenarioDefinition = {
  name: 'write-skew',
  full: () => writeSkewScenario(),
  scaled: (ops) => {
    const customers = Math.max(1, Math.round(ops / 2));
    return writeSkewScenario({ customers, concurrency: Math.min(20, 2 * customers) });
  },
  // 20 customers hold a lab to either claim in well under a second; one skewed customer proves unsafe.
  sizedFor: () => writeSkewDefinition.scaled(40),
  // Every client of the first wave reads both balances before any of them writes: a strategy that
  // lets two snapshots decide then skews every customer in that wave, on every run. A strategy that
  // makes them take turns never gathers them all; the timeout lets each go on alone.
  certainAnomaly: (concurrency) => [rendezvous({ parties: concurrency, timeoutMs: 2_000 })],
};
