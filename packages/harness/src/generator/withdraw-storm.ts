import type { Scenario, ScenarioDefinition } from './scenario.ts';

const ACCOUNT = 1;

/** Many clients withdraw from one account at once; exactly balance/amount of them may succeed. */
export const withdrawStorm = ({
  balance = 10_000,
  amount = 2,
  count = 10_000,
  concurrency = 100,
} = {}): Scenario => {
  const ok = Math.min(count, Math.floor(balance / amount));
  return {
    name: 'withdraw-storm',
    title: `${count} withdrawals of ${amount} from a balance of ${balance}`,
    description:
      'A Node/Express + Postgres exercise fired 10000 simultaneous withdrawals of 2 at one balance of 10000: ' +
      'exactly 5000 may succeed, and every success must report a different balance.',
    initialState: { accounts: [{ id: ACCOUNT, balance, version: 0 }], items: [] },
    defaultConcurrency: concurrency,
    ops: () =>
      Array.from({ length: count }, () => ({ kind: 'withdraw', accountId: ACCOUNT, amount }) as const),
    expected: {
      ok,
      fail: { insufficient_funds: count - ok },
      balances: { [ACCOUNT]: balance - ok * amount },
    },
  };
};

export const withdrawStormDefinition: ScenarioDefinition = {
  name: 'withdraw-storm',
  full: () => withdrawStorm(),
  // Half the withdrawals can succeed, as in the full storm.
  scaled: (ops) => withdrawStorm({ count: ops, balance: ops, amount: 2, concurrency: Math.min(100, ops) }),
  // A safe lab gets the full storm, the experiment's point; for an unsafe one a thousand withdrawals
  // are plenty, because one lost update is enough and the race window makes it certain.
  sizedFor: (expectation) =>
    expectation === 'safe' ? withdrawStorm() : withdrawStormDefinition.scaled(1000),
  httpLoad: { clients: 1000, executor: 'shared-iterations', replicas: 1, maxDuration: '3m' },
};
