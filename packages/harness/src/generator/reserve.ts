import type { OpRequest } from '../history/op.ts';
import { shuffle } from './rng.ts';
import { type Scenario, type ScenarioDefinition, share } from './scenario.ts';

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

export const reserveDefinition: ScenarioDefinition = {
  name: 'reserve',
  full: () => reserveScenario(),
  // One in fifty attempts can succeed, as 10 of 500 do.
  scaled: (ops) =>
    reserveScenario({ attempts: ops, available: share(ops, 1 / 50), concurrency: Math.min(50, ops) }),
  sizedFor: () => reserveDefinition.scaled(200),
};
