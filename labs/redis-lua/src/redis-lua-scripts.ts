import { type BasketLine, itemSubject, type ReservedLine } from '@concurrency-lab/model';
import { type FailReply, luaScript, type redisKeys } from '@concurrency-lab/redis';

/** change-balance.lua's reply: the balance after, or a refusal. */
export type BalanceReply = readonly ['ok', number] | FailReply;
/** reserve.lua's reply: available and reserved after, or a refusal. */
export type ReserveReply = readonly ['ok', number, number] | FailReply;
/** transfer.lua's reply: both balances after, or a refusal. */
export type TransferReply = readonly ['ok', number, number] | FailReply;
/** basket.lua's reply: available and reserved after for each line in turn, or a refusal. */
export type BasketReply = readonly ['ok', ...number[]] | FailReply;

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
  /** transfer.lua: keys from, to, ledger; then amount, op id, lab, from's subject, to's subject. */
  labTransfer(
    fromKey: string,
    toKey: string,
    ledgerKey: string,
    amount: number,
    opId: string,
    lab: string,
    fromSubject: string,
    toSubject: string,
  ): Promise<TransferReply>;
  /** basket.lua: the number of keys, the items' keys, the ledger key; then op id, lab, and qty, subject per line. */
  labBasket(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<BasketReply>;
}

const here = (file: string) => new URL(`./scripts/${file}`, import.meta.url);

/** The scripts by the command they become; `numberOfKeys` is how many leading arguments are keys. */
export const REDIS_LUA_SCRIPTS = {
  labChangeBalance: luaScript(here('change-balance.lua'), 2),
  labReserve: luaScript(here('reserve.lua'), 2),
  labTransfer: luaScript(here('transfer.lua'), 3),
  // As many keys as the basket has lines, plus the ledger: each call says how many.
  labBasket: luaScript(here('basket.lua')),
} as const;

/** basket.lua's arguments: the key count, every line's item key, the ledger; op id, lab, then qty and subject per line. */
export const basketArguments = (
  keys: ReturnType<typeof redisKeys>,
  lines: readonly BasketLine[],
  opId: string,
  lab: string,
): [number, ...Array<string | number>] => [
  lines.length + 1,
  ...lines.map((line) => keys.item(line.sku)),
  keys.ledger,
  opId,
  lab,
  ...lines.flatMap((line) => [line.qty, itemSubject(line.sku)]),
];

/** basket.lua's ok reply as each line's item counts after, in the order of the lines. */
export const linesAfter = (
  lines: readonly BasketLine[],
  reply: readonly ['ok', ...number[]],
): ReservedLine[] => {
  const counts = reply.slice(1) as number[];
  return lines.map((line, i) => ({
    sku: line.sku,
    available: counts[2 * i] ?? 0,
    reserved: counts[2 * i + 1] ?? 0,
  }));
};
