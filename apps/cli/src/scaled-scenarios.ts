import {
  flashSale,
  mixedScenario,
  reserveScenario,
  type Scenario,
  withdrawStorm,
} from '@concurrency-lab/harness';
import type { ScenarioName } from '@concurrency-lab/model';

const share = (ops: number, fraction: number) => Math.max(1, Math.round(ops * fraction));

/**
 * The scenario resized to `ops` operations with the catalog's proportions kept (withdraw-storm:
 * half the withdrawals can succeed; flash-sale: a third of the buyers get an item; …), so that a
 * quick comparison or a test still asks the same question, only with fewer operations.
 */
export const scaledScenario = (name: ScenarioName, ops: number): Scenario => {
  switch (name) {
    case 'withdraw-storm':
      return withdrawStorm({ count: ops, balance: ops, amount: 2, concurrency: Math.min(100, ops) });
    case 'flash-sale':
      return flashSale({ stock: share(ops, 1 / 3), buyers: ops });
    case 'flash-sale-basic':
      return flashSale({ name: 'flash-sale-basic', stock: ops, buyers: ops });
    case 'reserve':
      return reserveScenario({
        attempts: ops,
        available: share(ops, 1 / 50),
        concurrency: Math.min(50, ops),
      });
    case 'mixed':
      return mixedScenario({ count: ops, concurrency: Math.min(50, ops) });
    case 'replicas':
      return flashSale({ name: 'replicas', stock: share(ops, 1 / 4), buyers: ops });
  }
};
