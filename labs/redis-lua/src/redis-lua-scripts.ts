import { type FailReply, luaScript } from '@concurrency-lab/redis';

/** change-balance.lua's reply: the balance after, or a refusal. */
export type BalanceReply = readonly ['ok', number] | FailReply;
/** reserve.lua's reply: available and reserved after, or a refusal. */
export type ReserveReply = readonly ['ok', number, number] | FailReply;

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
