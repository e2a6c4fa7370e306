import { REDIS_LUA_SCRIPTS } from '@concurrency-lab/lab-redis-lua';
import { accountSubject } from '@concurrency-lab/model';
import { type connectRedis, redisKeys } from '@concurrency-lab/redis';

type Connection = Awaited<ReturnType<typeof connectRedis>>;

/**
 * redis-lua's withdrawal of 1 from account 1, as the lab calls change-balance.lua: the script loaded
 * on `redis` (its sha), and the EVALSHA arguments after the sha for an op id, under `namespace`'s
 * keys. Every side of the Redis bench sends these, so they run the same call.
 */
export const loadWithdrawal = async (redis: Connection, namespace: string, lab: string) => {
  const sha = (await redis.script('LOAD', REDIS_LUA_SCRIPTS.labChangeBalance.lua)) as string;
  const keys = redisKeys(namespace);
  const argumentsFor = (opId: string): string[] => [
    '2',
    keys.account(1),
    keys.ledger,
    '-1',
    'withdraw',
    opId,
    lab,
    accountSubject(1),
  ];
  return { sha, keys, argumentsFor };
};
