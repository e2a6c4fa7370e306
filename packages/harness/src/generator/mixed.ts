import type { OpRequest } from '../history/op.ts';
import type { Scenario, ScenarioDefinition } from './scenario.ts';

const ACCOUNT = 1;

/** Random deposits, withdrawals and reads on one account; the balance must never go negative. */
export const mixedScenario = ({ count = 2000, balance = 500, concurrency = 50 } = {}): Scenario => ({
  name: 'mixed',
  title: `${count} random deposits, withdrawals and reads on a balance of ${balance}`,
  description:
    'A balance "concurrency playground" whose invariant is balance >= 0; here also: the final balance equals ' +
    'the initial one plus the changes that succeeded.',
  initialState: { accounts: [{ id: ACCOUNT, balance, version: 0 }], items: [] },
  defaultConcurrency: concurrency,
  ops: (rng) =>
    Array.from({ length: count }, (): OpRequest => {
      const roll = rng.next();
      if (roll < 0.45) return { kind: 'withdraw', accountId: ACCOUNT, amount: rng.int(1, 100) };
      if (roll < 0.9) return { kind: 'deposit', accountId: ACCOUNT, amount: rng.int(1, 50) };
      return { kind: 'read', accountId: ACCOUNT };
    }),
  // Which withdrawals succeed depends on the interleaving; only the invariants are checked.
  expected: {},
});

export const mixedDefinition: ScenarioDefinition = {
  name: 'mixed',
  full: () => mixedScenario(),
  scaled: (ops) => mixedScenario({ count: ops, concurrency: Math.min(50, ops) }),
  sizedFor: () => mixedDefinition.scaled(400),
  httpLoad: { clients: 50, executor: 'shared-iterations', replicas: 1, maxDuration: '2m' },
};
