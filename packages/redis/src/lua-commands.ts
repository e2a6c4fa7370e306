import { readFileSync } from 'node:fs';
import { FAIL_REASONS, type FailReason, fail, type Outcome } from '@concurrency-lab/model';
import type { Redis } from 'ioredis';

const load = (file: string): string => readFileSync(new URL(`./scripts/${file}`, import.meta.url), 'utf8');

/**
 * The lab's Lua scripts, one file each under ./scripts (each states its contract at its top), by
 * the name of the command they become. `numberOfKeys` is how many leading arguments are keys.
 */
export const LUA_SCRIPTS = {
  labChangeBalance: { lua: load('change-balance.lua'), numberOfKeys: 2 },
  labReserve: { lua: load('reserve.lua'), numberOfKeys: 2 },
  labReleaseLock: { lua: load('release-lock.lua'), numberOfKeys: 1 },
} as const;

export type LuaScriptName = keyof typeof LUA_SCRIPTS;

/** A script's refusal: nothing changed, for the reason given. */
export type FailReply = readonly ['fail', string];
/** change-balance.lua's reply: the balance after, or a refusal. */
export type BalanceReply = readonly ['ok', number] | FailReply;
/** reserve.lua's reply: available and reserved after, or a refusal. */
export type ReserveReply = readonly ['ok', number, number] | FailReply;

/** The `fail` outcome of a script's refusal; a reason the model does not know is an error, not a guess. */
export const failureOf = (reply: FailReply): Outcome<never> => {
  const reason = reply[1];
  if (!(FAIL_REASONS as readonly string[]).includes(reason)) {
    throw new Error(`a Lua script replied with an unknown failure reason: ${JSON.stringify(reply)}`);
  }
  return fail(reason as FailReason);
};

/** An ioredis connection on which the scripts above are named commands (EVALSHA, EVAL on NOSCRIPT). */
export interface LabRedis extends Redis {
  /** change-balance.lua: keys account, ledger; then delta, kind, op id, lab, subject. */
  labChangeBalance(
    accountKey: string,
    ledgerKey: string,
    delta: number,
    kind: 'withdraw' | 'deposit',
    opId: string,
    lab: string,
    subject: string,
  ): Promise<BalanceReply>;
  /** reserve.lua: keys item, ledger; then qty, op id, lab, subject. */
  labReserve(
    itemKey: string,
    ledgerKey: string,
    qty: number,
    opId: string,
    lab: string,
    subject: string,
  ): Promise<ReserveReply>;
  /** release-lock.lua: 1 when the lock still held `token` and is now deleted, else 0. */
  labReleaseLock(lockKey: string, token: string): Promise<number>;
}

/**
 * Defines every script of LUA_SCRIPTS on `redis` as a command of its name. ioredis sends EVALSHA
 * and falls back to EVAL once per connection when the server answers NOSCRIPT (after a restart).
 */
export const defineLabCommands = (redis: Redis): LabRedis => {
  for (const [name, script] of Object.entries(LUA_SCRIPTS)) redis.defineCommand(name, script);
  // defineCommand adds the methods at run time; this is the one place that tells the compiler so.
  return redis as LabRedis;
};
