import type { ScenarioName } from '@concurrency-lab/model';
import { type Scenario, type ScenarioDefinition, share } from './scenario.ts';

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

/** 300 buyers for 100 items: a third get one. */
export const flashSaleDefinition: ScenarioDefinition = {
  name: 'flash-sale',
  full: () => flashSale(),
  scaled: (ops) => flashSale({ stock: share(ops, 1 / 3), buyers: ops }),
  sizedFor: () => flashSale(),
  httpLoad: { clients: 300, executor: 'per-vu-iterations', replicas: 1, maxDuration: '2m' },
};

/** 100 buyers for 100 items: every one gets one. */
export const flashSaleBasicDefinition: ScenarioDefinition = {
  name: 'flash-sale-basic',
  full: () => flashSale({ name: 'flash-sale-basic', stock: 100, buyers: 100 }),
  scaled: (ops) => flashSale({ name: 'flash-sale-basic', stock: ops, buyers: ops }),
  sizedFor: () => flashSaleBasicDefinition.full(),
};

/** 40 orders over several app replicas for 10 in stock (the Spring Boot experiment's numbers). */
export const replicasDefinition: ScenarioDefinition = {
  name: 'replicas',
  full: () => flashSale({ name: 'replicas', stock: 10, buyers: 40 }),
  scaled: (ops) => flashSale({ name: 'replicas', stock: share(ops, 1 / 4), buyers: ops }),
  sizedFor: () => replicasDefinition.full(),
  httpLoad: { clients: 40, executor: 'per-vu-iterations', replicas: 3, maxDuration: '2m' },
};
