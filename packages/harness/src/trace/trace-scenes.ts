import type { ScenarioName, State } from '@concurrency-lab/model';
import type { ChangeRequest } from '../client/session-call.ts';
import type { ExpectedOutcome } from '../generator/scenario.ts';

/** One step of a scenario, shrunk to what a trace walks through: a small state and one request per client. */
export interface TraceScene {
  readonly scenario: ScenarioName;
  readonly title: string;
  readonly initialState: State;
  /** Client A's request first, then B's (then C's). */
  readonly requests: readonly ChangeRequest[];
  /** What a correct strategy ends with, for the checkers. */
  readonly expected: ExpectedOutcome;
}

/** The scenarios a trace can show, each as its smallest interesting step. */
export const TRACE_SCENES = {
  'withdraw-storm': {
    scenario: 'withdraw-storm',
    title: 'two clients each withdraw 2 from account 1, which holds 10',
    initialState: { accounts: [{ id: 1, balance: 10, version: 0 }], items: [] },
    requests: [
      { kind: 'withdraw', accountId: 1, amount: 2 },
      { kind: 'withdraw', accountId: 1, amount: 2 },
    ],
    expected: { ok: 2, balances: { 1: 6 } },
  },
  'flash-sale': {
    scenario: 'flash-sale',
    title: 'two buyers each reserve 1 of item sku-a, which has 1 left',
    initialState: { accounts: [], items: [{ sku: 'sku-a', available: 1, reserved: 0, version: 0 }] },
    requests: [
      { kind: 'reserve', sku: 'sku-a', qty: 1 },
      { kind: 'reserve', sku: 'sku-a', qty: 1 },
    ],
    expected: { ok: 1, fail: { out_of_stock: 1 }, items: { 'sku-a': { available: 0, reserved: 1 } } },
  },
  'write-skew': {
    scenario: 'write-skew',
    title: 'one customer has accounts 1 and 2 of 5 each; A withdraws 6 from 1, B withdraws 6 from 2',
    initialState: {
      accounts: [
        { id: 1, balance: 5, version: 0 },
        { id: 2, balance: 5, version: 0 },
      ],
      items: [],
    },
    requests: [
      { kind: 'withdraw-joint', accountId: 1, partnerId: 2, amount: 6 },
      { kind: 'withdraw-joint', accountId: 2, partnerId: 1, amount: 6 },
    ],
    expected: { ok: 1, fail: { insufficient_funds: 1 } },
  },
} as const satisfies Partial<Record<ScenarioName, TraceScene>>;

export type TraceSceneName = keyof typeof TRACE_SCENES;

export const TRACE_SCENE_NAMES = Object.keys(TRACE_SCENES) as TraceSceneName[];

export const isTraceSceneName = (name: string): name is TraceSceneName => Object.hasOwn(TRACE_SCENES, name);
