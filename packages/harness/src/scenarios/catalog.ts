import type { ScenarioName } from '@concurrency-lab/model';
import { SCENARIO_NAMES } from '@concurrency-lab/model';
import type { OpRequest } from '../history.ts';
import { shuffle } from '../rng.ts';
import type { Scenario } from './scenario.ts';

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

const FLASH_SKU = 'sku-flash';

/** Buyers race for a limited stock, one unit each; the stock must never be oversold. */
export const flashSale = ({
  name = 'flash-sale' as ScenarioName,
  stock = 100,
  buyers = 300,
  concurrency = undefined as number | undefined,
} = {}): Scenario => {
  const ok = Math.min(stock, buyers);
  return {
    name,
    title: `${buyers} buyers, one unit each, for ${stock} in stock`,
    description:
      'A Redis-lock inventory load test ("black Friday": 300 users for 100 items) counted success as ' +
      '0 oversold, stock 0 and exactly 100 purchases.',
    initialState: { accounts: [], items: [{ sku: FLASH_SKU, available: stock, reserved: 0, version: 0 }] },
    defaultConcurrency: concurrency ?? buyers,
    ops: () => Array.from({ length: buyers }, () => ({ kind: 'reserve', sku: FLASH_SKU, qty: 1 }) as const),
    expected: {
      ok,
      fail: { out_of_stock: buyers - ok },
      items: { [FLASH_SKU]: { available: stock - ok, reserved: ok } },
    },
  };
};

/**
 * Reservations against every state a reservation controller must handle: enough stock
 * (until it reaches exactly 0), nothing available, and an item that does not exist.
 */
export const reserveScenario = ({ attempts = 500, available = 10, concurrency = 50 } = {}): Scenario => {
  const missingAttempts = Math.max(1, Math.floor(attempts / 25));
  return {
    name: 'reserve',
    title: `${attempts} reservations of 1 for ${available} available, plus an empty and a missing item`,
    description:
      'A Redis Lua stock-reservation controller: available + reserved stays constant and neither goes negative; ' +
      `${attempts} attempts on ${available} available give exactly ${available} ok.`,
    initialState: {
      accounts: [],
      items: [
        { sku: 'sku-a', available, reserved: 5, version: 0 },
        { sku: 'sku-empty', available: 0, reserved: 3, version: 0 },
      ],
    },
    defaultConcurrency: concurrency,
    ops: (rng) => {
      const ops: OpRequest[] = [];
      for (let i = 0; i < attempts; i++) ops.push({ kind: 'reserve', sku: 'sku-a', qty: 1 });
      for (let i = 0; i < missingAttempts; i++) {
        ops.push(
          { kind: 'reserve', sku: 'sku-empty', qty: 1 },
          { kind: 'reserve', sku: 'sku-missing', qty: 1 },
        );
      }
      return shuffle(ops, rng);
    },
    expected: {
      ok: Math.min(attempts, available),
      fail: {
        out_of_stock: attempts - Math.min(attempts, available) + missingAttempts,
        not_found: missingAttempts,
      },
      items: {
        'sku-a': {
          available: available - Math.min(attempts, available),
          reserved: 5 + Math.min(attempts, available),
        },
        'sku-empty': { available: 0, reserved: 3 },
      },
    },
  };
};

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

const builders: Record<ScenarioName, () => Scenario> = {
  'withdraw-storm': () => withdrawStorm(),
  'flash-sale': () => flashSale(),
  'flash-sale-basic': () => flashSale({ name: 'flash-sale-basic', stock: 100, buyers: 100 }),
  reserve: () => reserveScenario(),
  mixed: () => mixedScenario(),
  replicas: () => flashSale({ name: 'replicas', stock: 10, buyers: 40 }),
};

export const isScenarioName = (name: string): name is ScenarioName =>
  (SCENARIO_NAMES as readonly string[]).includes(name);

/** The scenario by name at the size given in the scenario catalog. */
export const scenarioNamed = (name: ScenarioName): Scenario => builders[name]();
