import type { Account, LabContext, LabStore, LedgerEntry, State, StockItem } from '@concurrency-lab/model';
import { deleteNamespace, namespacedKey } from './keys.ts';
import { type RedisService, redisCall, redisOf } from './service.ts';

/** Where a Redis-held run keeps each thing; every key lies under the run's namespace. */
export const redisKeys = (namespace: string) => ({
  /** Hash {balance, version}. */
  account: (id: number) => namespacedKey(namespace, 'account', id),
  /** Hash {available, reserved, version}. */
  item: (sku: string) => namespacedKey(namespace, 'item', sku),
  /** Set of account ids, so that the state can be read back without scanning. */
  accounts: namespacedKey(namespace, 'accounts'),
  /** Set of skus. */
  items: namespacedKey(namespace, 'items'),
  /** Stream, one entry per change that took effect, appended by the same script as the change. */
  ledger: namespacedKey(namespace, 'ledger'),
});

const LEDGER_PAGE = 5_000;

const toAccount = (id: number, fields: Record<string, string>): Account | undefined =>
  fields.balance === undefined
    ? undefined
    : { id, balance: Number(fields.balance), version: Number(fields.version ?? 0) };

const toItem = (sku: string, fields: Record<string, string>): StockItem | undefined =>
  fields.available === undefined
    ? undefined
    : {
        sku,
        available: Number(fields.available),
        reserved: Number(fields.reserved ?? 0),
        version: Number(fields.version ?? 0),
      };

/** Reads every entry of the ledger stream in pages; the stream id's first part is the server's time in ms. */
const readLedgerStream = async (redis: RedisService, key: string): Promise<LedgerEntry[]> => {
  const entries: LedgerEntry[] = [];
  let start = '-';
  // Each page moves `start` past the last id read, so the loop ends when the stream does.
  for (;;) {
    const page = await redisCall(redis, (c) => c.xrange(key, start, '+', 'COUNT', LEDGER_PAGE));
    for (const [id, flat] of page) {
      const fields: Record<string, string> = {};
      for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i] as string] = flat[i + 1] as string;
      entries.push({
        opId: fields.op ?? '',
        lab: fields.lab ?? '',
        subject: fields.subject ?? '',
        kind: fields.kind as LedgerEntry['kind'],
        delta: Number(fields.delta),
        resultingValue: Number(fields.value),
        at: new Date(Number(id.split('-')[0])),
      });
    }
    const last = page.at(-1);
    if (!last || page.length < LEDGER_PAGE) return entries;
    // The id right after the last one read ("(id", an exclusive start, needs Redis 6.2).
    const [ms, seq] = last[0].split('-');
    start = `${ms}-${Number(seq) + 1}`;
  }
};

/** Seeds, reads and audits the state of a lab whose accounts, items and ledger live in Redis. */
export const redisStore = (ctx: LabContext): LabStore => {
  const redis = redisOf(ctx);
  const keys = redisKeys(ctx.namespace);
  const readAccount = async (id: number) =>
    toAccount(id, await redisCall(redis, (c) => c.hgetall(keys.account(id))));
  const readItem = async (sku: string) =>
    toItem(sku, await redisCall(redis, (c) => c.hgetall(keys.item(sku))));
  return {
    async reset(initial: State) {
      await redisCall(redis, (c) => deleteNamespace(c, ctx.namespace));
      // MULTI: a reader never sees half a seed.
      const seed = redis.client.multi();
      for (const { id, balance, version } of initial.accounts) {
        seed.hset(keys.account(id), { balance, version }).sadd(keys.accounts, id);
      }
      for (const { sku, available, reserved, version } of initial.items) {
        seed.hset(keys.item(sku), { available, reserved, version }).sadd(keys.items, sku);
      }
      await redisCall(redis, () => seed.exec());
    },
    async readState() {
      const [ids, skus] = await Promise.all([
        redisCall(redis, (c) => c.smembers(keys.accounts)),
        redisCall(redis, (c) => c.smembers(keys.items)),
      ]);
      const accounts = await Promise.all(ids.map(Number).map(readAccount));
      const items = await Promise.all(skus.map(readItem));
      return {
        accounts: accounts.filter((a): a is Account => a !== undefined).sort((a, b) => a.id - b.id),
        items: items
          .filter((i): i is StockItem => i !== undefined)
          .sort((a, b) => a.sku.localeCompare(b.sku)),
      };
    },
    readAccount,
    readItem,
    readLedger: () => readLedgerStream(redis, keys.ledger),
  };
};
