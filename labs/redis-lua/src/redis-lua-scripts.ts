import { type FailReply, luaScript } from '@concurrency-lab/redis';

/** change-balance.lua's reply: the balance after (decimal text, exact), or a refusal. */
export type BalanceReply = readonly ['ok', string] | FailReply;
/** reserve.lua's reply: available and reserved after (decimal text), or a refusal. */
export type ReserveReply = readonly ['ok', string, string] | FailReply;

/** A count a script replied as text; anything but a safe integer is an error, never a rounded guess. */
export const countFromScript = (text: string): number => {
  const value = Number(text);
  if (!Number.isSafeInteger(value))
    throw new Error(`a Lua script replied ${JSON.stringify(text)} where a count belongs`);
  return value;
};

/** The lab's scripts as commands on its connection (each file states its contract at its top). */
export interface RedisLuaCommands {
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
}

const here = (file: string) => new URL(`./scripts/${file}`, import.meta.url);

/** The scripts by the command they become; `numberOfKeys` is how many leading arguments are keys. */
export const REDIS_LUA_SCRIPTS = {
  labChangeBalance: luaScript(here('change-balance.lua'), 2),
  labReserve: luaScript(here('reserve.lua'), 2),
} as const;
