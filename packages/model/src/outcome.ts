import type { FailReason } from './fail-reasons.ts';

/**
 * The result of one operation, with Jepsen's meaning: `ok` took effect, `fail` did not,
 * `info` is unknown (it may or may not have taken effect; a checker must allow both).
 */
export type Outcome<V> =
  | { readonly type: 'ok'; readonly value: V }
  | { readonly type: 'fail'; readonly reason: FailReason; readonly message?: string }
  | { readonly type: 'info'; readonly error: string };

export type OutcomeType = Outcome<unknown>['type'];

export const ok = <V>(value: V): Outcome<V> => ({ type: 'ok', value });
export const fail = (reason: FailReason, message?: string): Outcome<never> =>
  message === undefined ? { type: 'fail', reason } : { type: 'fail', reason, message };
export const info = (error: string): Outcome<never> => ({ type: 'info', error });
