// 300 buyers (one VU each, one purchase each) for 100 units in stock: exactly 100 may succeed,
// 200 must get 409 out_of_stock, and the stock must never be oversold.
//   k6 run -e LAB_LAB=redis-lock -e LAB_ADMIN_TOKEN=… k6/flash-sale.ts   (or: pnpm lab k6 flash-sale --lab redis-lock)

import { nextUrl, postChange } from './lib/lab-client.ts';
import { checkAfterLoad, optionsFor, type RunData, resetEveryReplica } from './lib/lab-lifecycle.ts';
import { type SummaryData, summaryOutputs } from './lib/lab-summary.ts';
import { planFor } from './lib/plans.ts';
import { runConfig } from './lib/run-config.ts';

const config = runConfig('flash-sale');
const plan = planFor(config.scenario, config.plan);

export const options = optionsFor(plan, config);

export function setup(): RunData {
  return resetEveryReplica(config);
}

export default function (data: RunData): void {
  postChange(`${nextUrl(config)}/labs/${config.lab}/items/${data.sku}/reserve`, { qty: 1 }, 'reserve');
}

export function teardown(data: RunData): void {
  checkAfterLoad(config, data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(plan, config, data);
}
