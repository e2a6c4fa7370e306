// 10000 withdrawals of 2 from a balance of 10000, taken by 1000 VUs from one shared pool (the
// shared-iterations executor), all at once: exactly 5000 may succeed, 5000 must get 409
// insufficient_funds, the balance must end at 0 and no two successes may report the same balance.
//   k6 run -e LAB_LAB=update-returning -e LAB_ADMIN_TOKEN=… k6/withdraw-storm.ts   (or: pnpm lab k6 withdraw-storm)

import { nextUrl, postChange } from './lib/lab-client.ts';
import { checkAfterLoad, optionsFor, type RunData, resetEveryReplica } from './lib/lab-lifecycle.ts';
import { type SummaryData, summaryOutputs } from './lib/lab-summary.ts';
import { planFor } from './lib/plans.ts';
import { runConfig } from './lib/run-config.ts';

const config = runConfig('withdraw-storm');
const plan = planFor(config.scenario, config.plan);

export const options = optionsFor(plan, config);

export function setup(): RunData {
  return resetEveryReplica(config);
}

export default function (data: RunData): void {
  postChange(
    `${nextUrl(config)}/labs/${config.lab}/accounts/${data.accountId}/withdraw`,
    { amount: 2 },
    'withdraw',
  );
}

export function teardown(data: RunData): void {
  checkAfterLoad(config, data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(plan, config, data);
}
