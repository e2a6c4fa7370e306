import { type BasketLine, itemSubject, type ReservedLine } from '@concurrency-lab/model';
import { type FailReply, luaScript, type redisKeys } from '@concurrency-lab/redis';

/** change-balance.lua's reply: the balance after (decimal text, exact), or a refusal. */
export type BalanceReply = readonly ['ok', string] | FailReply;
/** reserve.lua's reply: available and reserved after (decimal text), or a refusal. */
export type ReserveReply = readonly ['ok', string, string] | FailReply;
/** transfer.lua's reply: both balances after (decimal text), or a refusal. */
export type TransferReply = readonly ['ok', string, string] | FailReply;
/** withdraw-joint.lua's reply: the balance after of the account withdrawn from (decimal text), or a refusal. */
export type JointReply = readonly ['ok', string] | FailReply;
/** basket.lua's reply: available and reserved after (decimal text) for each line in turn, or a refusal. */
export type BasketReply = readonly ['ok', ...string[]] | FailReply;

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
  /** withdraw-joint.lua: keys account, partner, ledger; then amount, op id, lab, the account's subject. */
  labWithdrawJoint(
    accountKey: string,
    partnerKey: string,
    ledgerKey: string,
    amount: number,
    opId: string,
    lab: string,
    subject: string,
  ): Promise<JointReply>;
  /** basket.lua: the number of keys, the items' keys, the ledger key; then op id, lab, and qty, subject per line. */
  labBasket(keyCount: number, ...keysThenArgs: Array<string | number>): Promise<BasketReply>;
}

const here = (file: string) => new URL(`./scripts/${file}`, import.meta.url);

/** The scripts by the command they become; `numberOfKeys` is how many leading arguments are keys. */
export const REDIS_LUA_SCRIPTS = {
  labChangeBalance: luaScript(here('change-balance.lua'), 2),
  labReserve: luaScript(here('reserve.lua'), 2),
  labTransfer: luaScript(here('transfer.lua'), 3),
  labWithdrawJoint: luaScript(here('withdraw-joint.lua'), 3),
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
  reply: readonly ['ok', ...string[]],
): ReservedLine[] => {
  const counts = reply.slice(1) as string[];
  return lines.map((line, i) => ({
    sku: line.sku,
    available: countFromScript(counts[2 * i] ?? ''),
    reserved: countFromScript(counts[2 * i + 1] ?? ''),
  }));
};
