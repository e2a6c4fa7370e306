import { changeBalanceSql } from '@concurrency-lab/lab-update-returning';
import type { LabContext } from '@concurrency-lab/model';
import { postgresOf, schemaNameFor } from '@concurrency-lab/postgres';
import { closeRedis, connectRedis } from '@concurrency-lab/redis';
import pg from 'pg';
import { driveCalls } from './drive-calls.ts';
import { statementBySocket } from './postgres-socket-bench.ts';
import { evalshaBySocket } from './redis-socket-bench.ts';
import { loadWithdrawal } from './redis-withdrawal.ts';

// The client library alone sending a lab's statement, with nothing of the lab or the harness around
// it: what the lab could reach at best in Node. Beside the lab's and the reference tool's figures it
// tells the lab's own cost (lab / driver) from the driver's (driver / reference).

/** `clients` callers with nothing of their own: the driver's pool or connection is shared. */
const callers = (clients: number) => Array.from({ length: clients }, () => undefined);

// The op id is the one parameter that differs from call to call.
const OP_ID = 'bench-op';

/** update-returning's withdrawal of 1 from account 1, compiled once: its text, and its values for an op id. */
const compiledWithdrawal = (ctx: LabContext) => {
  const { sql: text, parameters } = changeBalanceSql(ctx, OP_ID, 1, -1, 'withdraw').compile(
    postgresOf(ctx).db,
  );
  const opIdAt = parameters.indexOf(OP_ID);
  return { text, valuesFor: (opId: string) => parameters.map((p, n) => (n === opIdAt ? opId : p)) };
};

/**
 * node-postgres sending update-returning's withdrawal (its compiled text, as a named prepared
 * statement, as the lab's pool sends it) over a pool of `clients` connections.
 */
export const updateReturningByDriver = async (
  url: string,
  ctx: LabContext,
  clients: number,
  count: number,
): Promise<number> => {
  const { text, valuesFor } = compiledWithdrawal(ctx);
  const pool = new pg.Pool({
    connectionString: url,
    max: clients,
    options: `-c search_path=${schemaNameFor(ctx.namespace)}`,
  });
  try {
    return await driveCalls(callers(clients), count, (_, i) =>
      pool.query({ name: 'driver_withdraw', text, values: valuesFor(`driver-${i}`) }),
    );
  } finally {
    await pool.end();
  }
};

/** The same withdrawal over bare sockets speaking the wire protocol, no library (see postgres-socket-bench.ts). */
export const updateReturningBySocket = async (
  url: string,
  ctx: LabContext,
  clients: number,
  count: number,
): Promise<number> => {
  const { text, valuesFor } = compiledWithdrawal(ctx);
  return statementBySocket(
    url,
    schemaNameFor(ctx.namespace),
    text,
    (i) => valuesFor(`socket-${i}`).map(String),
    clients,
    count,
  );
};

/** ioredis calling redis-lua's withdraw script by EVALSHA on one shared connection, as the lab does. */
export const redisLuaByDriver = async (url: string, ctx: LabContext, clients: number, count: number) => {
  const redis = await connectRedis(url);
  try {
    const { sha, argumentsFor } = await loadWithdrawal(redis, ctx.namespace, ctx.lab);
    return await driveCalls(callers(clients), count, (_, i) =>
      redis.call('EVALSHA', sha, ...argumentsFor(`driver-${i}`)),
    );
  } finally {
    await closeRedis(redis);
  }
};

/** The same EVALSHA calls over bare sockets, no client library (see redis-socket-bench.ts). */
export const redisLuaBySocket = async (url: string, ctx: LabContext, clients: number, count: number) => {
  const redis = await connectRedis(url);
  try {
    const { sha, argumentsFor } = await loadWithdrawal(redis, ctx.namespace, ctx.lab);
    return await evalshaBySocket(url, sha, (i) => argumentsFor(`socket-${i}`), clients, count);
  } finally {
    await closeRedis(redis);
  }
};
