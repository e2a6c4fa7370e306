// Random deposits (1–50), withdrawals (1–100) and reads on one account of 500, from 50 VUs: the
// balance must never go negative, and it must end at the initial balance plus the changes that
// took effect (checked by the server against its ledger).
//   k6 run -e LAB_LAB=optimistic -e LAB_ADMIN_TOKEN=… k6/mixed.ts   (or: pnpm lab k6 mixed --lab optimistic)

import { getValue, nextUrl, postChange } from './lib/lab-client.ts';
import { checkAfterLoad, optionsFor, type RunData, resetEveryReplica } from './lib/lab-lifecycle.ts';
import { type SummaryData, summaryOutputs } from './lib/lab-summary.ts';
import { planFor } from './lib/plans.ts';
import { runConfig } from './lib/run-config.ts';

const config = runConfig('mixed');
const plan = planFor(config.scenario, config.plan);

export const options = optionsFor(plan, config);

export function setup(): RunData {
  return resetEveryReplica(config);
}

const between = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));

export default function (data: RunData): void {
  const account = `${nextUrl(config)}/labs/${config.lab}/accounts/${data.accountId}`;
  const roll = Math.random();
  // The same mix as the in-process scenario: 45 % withdrawals, 45 % deposits, 10 % reads.
  if (roll < 0.45) postChange(`${account}/withdraw`, { amount: between(1, 100) }, 'withdraw');
  else if (roll < 0.9) postChange(`${account}/deposit`, { amount: between(1, 50) }, 'deposit');
  else getValue(account, 'read');
}

export function teardown(data: RunData): void {
  checkAfterLoad(config, data);
}

export function handleSummary(data: SummaryData): Record<string, string> {
  return summaryOutputs(plan, config, data);
}
