import type { OpValue, TraceEvent, TraceResult } from '@concurrency-lab/harness';
import type { OpStepDetail, Outcome, State } from '@concurrency-lab/model';

const COLUMN = 38;

// With one account in the scene a balance needs no name; with two, each is named by its account.
const balancesText = (detail: OpStepDetail | undefined, oneAccount: boolean): string => {
  const entries = Object.entries(detail?.balances ?? {});
  if (entries.length === 1 && oneAccount) return `balance = ${entries[0]?.[1]}`;
  if (entries.length > 0) return entries.map(([id, value]) => `account ${id} = ${value}`).join(', ');
  return detail?.about ?? '';
};

const valueText = (value: OpValue): string =>
  typeof value === 'number'
    ? `balance ${value}`
    : value && !Array.isArray(value) && 'available' in value
      ? `${value.available} available`
      : JSON.stringify(value);

const outcomeText = (outcome: Outcome<OpValue>): string =>
  outcome.type === 'ok'
    ? `done: ok, ${valueText(outcome.value)}`
    : outcome.type === 'fail'
      ? `done: refused, ${outcome.reason}`
      : `done: unknown (${outcome.error})`;

/** One event as its client's column shows it; empty for what is not worth a line (the JSON has every event). */
export const traceEventText = (event: TraceEvent, oneAccount = true): string => {
  switch (event.kind) {
    case 'start': {
      const r = event.request;
      if (r.kind === 'withdraw' || r.kind === 'deposit')
        return `${r.kind} ${r.amount} from account ${r.accountId}`;
      if (r.kind === 'withdraw-joint')
        return `withdraw ${r.amount} from ${r.accountId} (sum with ${r.partnerId})`;
      if (r.kind === 'reserve') return `reserve ${r.qty} of ${r.sku}`;
      return r.kind;
    }
    case 'step':
      return event.step === 'lock'
        ? `lock ${event.detail?.about ?? ''}`.trim()
        : `${event.step} ${balancesText(event.detail, oneAccount)}`.trim();
    case 'blocked':
      return `… blocked: no ${event.action} within ${event.ms} ms`;
    case 'waited':
      return event.ms >= 10 ? `(waited ${Math.round(event.ms)} ms)` : '';
    case 'conflict':
      return 'conflict: changed since its read';
    case 'retry':
      return event.count > 1 ? `tries again ×${event.count}` : 'tries again';
    case 'deadlock':
      return 'chosen as a deadlock victim';
    case 'done':
      return outcomeText(event.outcome);
    case 'finished-already':
      return '';
  }
};

const stateText = (state: State): string =>
  [
    ...state.accounts.map((account) => `account ${account.id} = ${account.balance}`),
    ...state.items.map((item) => `${item.sku}: ${item.available} available, ${item.reserved} reserved`),
  ].join(', ');

/**
 * The trace as a timeline: one column per client, one line per step in the order they happened,
 * and the conclusion after the last one (← lost update: …, or what protected the state).
 */
export const renderTraceTimeline = (result: TraceResult, title: string): string => {
  const clients = [...new Set(result.history.map((_, i) => 'ABC'[i] as string))];
  const lines = result.events.flatMap((event) => {
    const text = traceEventText(event, result.initialState.accounts.length <= 1);
    if (text === '') return [];
    const column = clients.indexOf(event.client);
    return [`  ${' '.repeat(COLUMN * column)}${text}`];
  });
  // Beside the last step, as in the issue's example, unless that makes the line too long to read.
  const last = lines.length - 1;
  const conclusion = `← ${result.outcome.text}`;
  if (last >= 0 && (lines[last] as string).length + conclusion.length < 118)
    lines[last] = `${lines[last]}   ${conclusion}`;
  else lines.push(`  ${conclusion}`);
  const violations = result.verdict.violations.map((v) => `${v.kind} ×${v.count}`).join(', ');
  return [
    `lab trace: ${result.lab} (${title})`,
    `scene: ${result.scenario}: ${result.title}`,
    `schedule: ${result.schedule.map((s) => `${s.client}:${s.action}`).join(' ')}`,
    '',
    `  ${clients
      .map((client) => `client ${client}`.padEnd(COLUMN))
      .join('')
      .trimEnd()}`,
    ...lines,
    '',
    `before: ${stateText(result.initialState)}`,
    `after:  ${stateText(result.finalState)}`,
    `checkers: ${violations === '' ? 'no violation' : violations}`,
  ].join('\n');
};
