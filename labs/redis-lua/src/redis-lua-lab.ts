import {
  accountSubject,
  everyScenario,
  itemSubject,
  type Lab,
  ok,
  sessionFrom,
} from '@concurrency-lab/model';
import {
  redisCall,
  redisKeys,
  redisOf,
  redisStore,
  scriptFailure,
  withScripts,
} from '@concurrency-lab/redis';
import {
  basketArguments,
  countFromScript,
  linesAfter,
  REDIS_LUA_SCRIPTS,
  type RedisLuaCommands,
} from './redis-lua-scripts.ts';

/**
 * The state lives in Redis, and each operation is one Lua script (./scripts):
 * Redis runs a script from start to end before it serves any other command, so the check, the
 * change and the ledger entry happen as one step that no other client can come between. A transfer
 * is one script over both accounts' keys, a basket one over every line's key: all or nothing; a
 * joint withdrawal one that reads both of a customer's balances and writes one.
 */
export const redisLuaLab: Lab = {
  name: 'redis-lua',
  title: 'Redis Lua script',
  summary:
    'Balances and stock live in Redis; one Lua script per operation checks, changes and logs atomically.',
  needs: ['redis'],
  expect: everyScenario('safe'),
  noGap:
    'each operation is one Lua script that Redis runs to its end; there is no gap between its read and its write',
  store: redisStore,
  open: async (ctx) => {
    const redis = redisOf(ctx);
    const scripts = withScripts<RedisLuaCommands>(redis.client, REDIS_LUA_SCRIPTS);
    const keys = redisKeys(ctx.namespace);
    const changeBalance = async (
      accountId: number,
      delta: number,
      kind: 'withdraw' | 'deposit',
      id: string,
    ) => {
      const reply = await redisCall(redis, () =>
        scripts.labChangeBalance(
          keys.account(accountId),
          keys.ledger,
          delta,
          kind,
          id,
          ctx.lab,
          accountSubject(accountId),
        ),
      );
      return reply[0] === 'ok' ? ok(countFromScript(reply[1])) : scriptFailure(reply);
    };
    return sessionFrom({
      withdraw: (accountId, amount, op) => changeBalance(accountId, -amount, 'withdraw', op.id),
      deposit: (accountId, amount, op) => changeBalance(accountId, amount, 'deposit', op.id),
      async reserve(sku, qty, op) {
        const reply = await redisCall(redis, () =>
          scripts.labReserve(keys.item(sku), keys.ledger, qty, op.id, ctx.lab, itemSubject(sku)),
        );
        return reply[0] === 'ok'
          ? ok({ available: countFromScript(reply[1]), reserved: countFromScript(reply[2]) })
          : scriptFailure(reply);
      },
      async transfer(from, to, amount, op) {
        const reply = await redisCall(redis, () =>
          scripts.labTransfer(
            keys.account(from),
            keys.account(to),
            keys.ledger,
            amount,
            op.id,
            ctx.lab,
            accountSubject(from),
            accountSubject(to),
          ),
        );
        return reply[0] === 'ok'
          ? ok({ from: countFromScript(reply[1]), to: countFromScript(reply[2]) })
          : scriptFailure(reply);
      },
      async withdrawJoint(accountId, partnerId, amount, op) {
        const reply = await redisCall(redis, () =>
          scripts.labWithdrawJoint(
            keys.account(accountId),
            keys.account(partnerId),
            keys.ledger,
            amount,
            op.id,
            ctx.lab,
            accountSubject(accountId),
          ),
        );
        return reply[0] === 'ok' ? ok(countFromScript(reply[1])) : scriptFailure(reply);
      },
      async basket(lines, op) {
        const reply = await redisCall(redis, () =>
          scripts.labBasket(...basketArguments(keys, lines, op.id, ctx.lab)),
        );
        return reply[0] === 'ok' ? ok(linesAfter(lines, reply)) : scriptFailure(reply);
      },
    });
  },
};
