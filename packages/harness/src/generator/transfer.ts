import type { OpRequest } from '../history/op.ts';
import type { Scenario, ScenarioDefinition } from './scenario.ts';

/**
 * Random transfers between a few accounts, in both directions, and a few from an account that does
 * not exist (each must fail `not_found` and change nothing, although its credit side exists).
 */
export const transferScenario = ({
  accounts = 5,
  balance = 200,
  count = 1000,
  maxAmount = 50,
  concurrency = 20,
} = {}): Scenario => {
  const missing = accounts + 1;
  // One in fifty: enough to see that a refused transfer leaves its other account alone.
  const fromMissing = (i: number) => i % 50 === 49;
  const missingCount = Array.from({ length: count }, (_, i) => i).filter(fromMissing).length;
  return {
    name: 'transfer',
    title: `${count} random transfers between ${accounts} accounts of ${balance}`,
    description:
      'The next step the inventory load tests planned: operations on several rows, where a fixed lock order ' +
      'prevents deadlocks. The total across accounts never changes, no balance goes below 0, and a transfer ' +
      'is applied to both accounts or to neither.',
    initialState: {
      accounts: Array.from({ length: accounts }, (_, i) => ({ id: i + 1, balance, version: 0 })),
      items: [],
    },
    defaultConcurrency: concurrency,
    ops: (rng) =>
      Array.from({ length: count }, (_, i): OpRequest => {
        const amount = rng.int(1, maxAmount);
        if (fromMissing(i)) return { kind: 'transfer', from: missing, to: rng.int(1, accounts), amount };
        const from = rng.int(1, accounts);
        // Any other account, each as likely: so every pair is used in both directions.
        const to = ((from - 1 + rng.int(1, accounts - 1)) % accounts) + 1;
        return { kind: 'transfer', from, to, amount };
      }),
    // Which transfers find enough money depends on the interleaving; the refused ones do not.
    expected: { fail: { not_found: missingCount } },
  };
};

export const transferDefinition: ScenarioDefinition = {
  name: 'transfer',
  // Why these sizes: 5 accounts and 20 clients make nearly every transfer share an account with
  // another one in flight (each takes 2 of the 5), which is what a lock order is about, while the
  // lock-based labs still get through 1000 transfers in a few seconds on 2 cores.
  full: () => transferScenario(),
  scaled: (ops) => transferScenario({ count: ops, concurrency: Math.min(20, ops) }),
  // 300 transfers hold a lab to its claim in about a second: with 20 clients on 5 accounts, a lab
  // that reads and writes without protection loses updates within the first few dozen.
  sizedFor: () => transferDefinition.scaled(300),
};
