import type { OpRequest } from '../history/op.ts';
import { shuffle } from './rng.ts';
import { type Scenario, type ScenarioDefinition, share } from './scenario.ts';

const SKU = 'sku-a';

/**
 * The Redis Lua reservation controller's run, with its own numbers: 500 concurrent attempts to move
 * one unit from available to reserved, on an item with 10 available and 0 reserved. Exactly 10
 * succeed, 490 are out of stock, and the item ends at 0 available / 10 reserved.
 */
export const reserveScenario = ({ attempts = 500, available = 10, concurrency = 500 } = {}): Scenario => {
  const ok = Math.min(attempts, available);
  return {
    name: 'reserve',
    title: `${attempts} reservations of 1 for ${available} available`,
    description:
      'A Redis Lua stock-reservation controller: 500 concurrent attempts on 10 available, 0 reserved give exactly ' +
      '10 ok and 490 out_of_stock, ending at 0 available / 10 reserved; available + reserved never changes.',
    initialState: { accounts: [], items: [{ sku: SKU, available, reserved: 0, version: 0 }] },
    defaultConcurrency: concurrency,
    ops: () => Array.from({ length: attempts }, () => ({ kind: 'reserve', sku: SKU, qty: 1 }) as const),
    expected: {
      ok,
      fail: { out_of_stock: attempts - ok },
      items: { [SKU]: { available: available - ok, reserved: ok } },
    },
  };
};

export const reserveDefinition: ScenarioDefinition = {
  name: 'reserve',
  full: () => reserveScenario(),
  // One in fifty attempts can succeed, as 10 of 500 do; every attempt has a client of its own.
  scaled: (ops) => reserveScenario({ attempts: ops, available: share(ops, 1 / 50), concurrency: ops }),
  sizedFor: () => reserveDefinition.scaled(200),
};

/**
 * The controller's other states, as a workload of their own: an item reserved down to exactly 0,
 * one that has some but never enough, one with nothing available, and one that does not exist.
 * `scale` multiplies every count (1: 55 attempts).
 */
export const reserveEdgesScenario = ({ scale = 1, concurrency = 50 } = {}): Scenario => {
  const exact = 5 * scale;
  const short = 10 * scale;
  const empty = 20 * scale;
  const missing = 20 * scale;
  return {
    name: 'reserve-edges',
    title: `reservations at the edges: ${exact} that empty an item exactly, ${short + empty} that cannot be met, ${missing} of a missing item`,
    description:
      'The reservation controller’s state tests as one concurrent run: enough until exactly 0 (ok), not enough and ' +
      'nothing available (out_of_stock, nothing changes), a missing item (not_found, nothing is created).',
    initialState: {
      accounts: [],
      items: [
        { sku: 'sku-exact', available: exact, reserved: 0, version: 0 },
        { sku: 'sku-short', available: 2, reserved: 1, version: 0 },
        { sku: 'sku-empty', available: 0, reserved: 3, version: 0 },
      ],
    },
    defaultConcurrency: concurrency,
    ops: (rng) => {
      const ops: OpRequest[] = [];
      const add = (count: number, sku: string, qty: number) => {
        for (let i = 0; i < count; i++) ops.push({ kind: 'reserve', sku, qty });
      };
      add(exact, 'sku-exact', 1);
      add(short, 'sku-short', 3);
      add(empty, 'sku-empty', 1);
      add(missing, 'sku-missing', 1);
      return shuffle(ops, rng);
    },
    expected: {
      ok: exact,
      fail: { out_of_stock: short + empty, not_found: missing },
      items: {
        'sku-exact': { available: 0, reserved: exact },
        'sku-short': { available: 2, reserved: 1 },
        'sku-empty': { available: 0, reserved: 3 },
      },
    },
  };
};

export const reserveEdgesDefinition: ScenarioDefinition = {
  name: 'reserve-edges',
  full: () => reserveEdgesScenario(),
  scaled: (ops) =>
    reserveEdgesScenario({ scale: Math.max(1, Math.round(ops / 55)), concurrency: Math.min(50, ops) }),
  sizedFor: () => reserveEdgesScenario(),
};
