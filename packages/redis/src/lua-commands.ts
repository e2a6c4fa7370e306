import { readFileSync } from 'node:fs';
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

/** What change-balance.lua and reserve.lua reply: `ok` with the values after, or `fail` with a reason. */
export type ScriptReply = readonly ['ok', ...number[]] | readonly ['fail', string];

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
  ): Promise<ScriptReply>;
  /** reserve.lua: keys item, ledger; then qty, op id, lab, subject. */
  labReserve(
    itemKey: string,
    ledgerKey: string,
    qty: number,
    opId: string,
    lab: string,
    subject: string,
  ): Promise<ScriptReply>;
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
