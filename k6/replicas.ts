// 40 orders for 10 units in stock, spread round-robin over the replica URLs (LAB_URLS, three in the
// classic setup): exactly 10 may succeed and 30 must get 409 out_of_stock. A lock that lives in one
// process (the mutex lab) protects nothing here: each replica has its own.
//   k6 run -e LAB_URLS=http://127.0.0.1:8080,http://127.0.0.1:8081,http://127.0.0.1:8082 -e LAB_LAB=mutex \
//          -e LAB_EXPECT=unsafe -e LAB_ADMIN_TOKEN=… k6/replicas.ts   (or: pnpm lab k6 replicas --lab mutex)

import { nextUrl, postChange } from './lib/lab-client.ts';
import { checkAfterLoad, optionsFor, type RunData, resetEveryReplica } from './lib/lab-lifecycle.ts';
import { type SummaryData, summaryOutputs } from './lib/lab-summary.ts';
import { planFor } from './lib/plans.ts';
import { runConfig } from './lib/run-config.ts';

const config = runConfig('replicas');
const plan = planFor(config.scenario, config.plan);

export const options = optionsFor(plan, config);

export function setup(): RunData {
  if (config.urls.length < 2)
    console.warn(
      `replicas: only ${config.urls.length} URL in LAB_URLS; the scenario is meant for ${plan.replicas}`,
    );
  return resetEveryReplica(config);
}

export default function (data: RunData): void {
  postChange(`${nextUrl(config)}/labs/${config.lab}/items/${data.sku}/reserve`, { qty: 1 }, 'order');
}

export function teardown(data: RunData): void {
  checkAfterLoad(config, data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(plan, config, data);
}
