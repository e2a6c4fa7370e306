import type { OpRequest } from '../history/op.ts';
import { shuffle } from './rng.ts';
import type { Scenario, ScenarioDefinition } from './scenario.ts';

const SOLD_OUT = 'sku-empty';

/**
 * Orders of two or three different items, all or nothing, for more units than there are; one in ten
 * also asks for an item that is sold out, as its last line, so it must fail whole and change nothing.
 */
export const basketScenario = ({ items = 4, stock = 40, orders = 300, concurrency = 30 } = {}): Scenario => {
  const skus = Array.from({ length: items }, (_, i) => `sku-${String.fromCharCode(97 + i)}`);
  return {
    name: 'basket',
    title: `${orders} orders of 2 or 3 items for ${items} items of ${stock} in stock`,
    description:
      'The multi-product sale the inventory load tests planned next: every order is reserved entirely or not at ' +
      'all, stock is never oversold, and an order with a sold-out item leaves every other item untouched.',
    initialState: {
      accounts: [],
      items: [
        ...skus.map((sku) => ({ sku, available: stock, reserved: 0, version: 0 })),
        { sku: SOLD_OUT, available: 0, reserved: 5, version: 0 },
      ],
    },
    defaultConcurrency: concurrency,
    ops: (rng) =>
      Array.from({ length: orders }, (_, i): OpRequest => {
        const chosen = shuffle([...skus], rng).slice(0, rng.int(2, 3));
        const lines = chosen.map((sku) => ({ sku, qty: rng.int(1, 2) }));
        return { kind: 'basket', lines: i % 10 === 9 ? [...lines, { sku: SOLD_OUT, qty: 1 }] : lines };
      }),
    // Which orders get the stock depends on the interleaving; the sold-out item never changes.
    expected: { items: { [SOLD_OUT]: { available: 0, reserved: 5 } } },
  };
};

export const basketDefinition: ScenarioDefinition = {
  name: 'basket',
  // Why these sizes: about 1100 units asked for 160 in stock, so the stock runs out a third of the
  // way through and every later order must be refused whole; 30 clients on 4 items keep every item
  // contended, and the whole run takes a few seconds on 2 cores for the lock-based labs.
  full: () => basketScenario(),
  scaled: (ops) =>
    basketScenario({
      orders: ops,
      stock: Math.max(4, Math.round(ops / 7.5)),
      concurrency: Math.min(30, ops),
    }),
  sizedFor: () => basketDefinition.full(),
};
