import { randomBytes } from 'node:crypto';
import { closeRedis, connectRedis, deleteNamespace, findOnPath } from '@concurrency-lab/redis';
import { loadWithdrawal } from './redis-withdrawal.ts';
import { runTool } from './run-tool.ts';

/** True when a `redis-benchmark` binary is on PATH. */
export const hasRedisBenchmark = (): boolean => findOnPath('redis-benchmark') !== undefined;

export interface RedisLuaBenchRun {
  /** redis://host:port of the node to measure (a password in it is passed with -a). */
  readonly url: string;
  /** Parallel connections (redis-benchmark -c). */
  readonly clients: number;
  /** Script calls in all (redis-benchmark -n). */
  readonly requests: number;
}

// Far from any balance a run can exhaust: every call succeeds, as in the lab's side of the bench.
const BALANCE = 1_000_000_000_000;

/** The ops/sec figure of redis-benchmark's CSV output (`"test","rps",…` then one row per test). */
const parseCsvRps = (output: string): number => {
  const rows = output
    .trim()
    .split('\n')
    .filter((line) => line.startsWith('"'));
  const rps = Number(rows.at(-1)?.split(',')[1]?.replace(/"/g, ''));
  if (!Number.isFinite(rps) || rps <= 0)
    throw new Error(`no requests per second in redis-benchmark's output: ${output}`);
  return rps;
};

/**
 * Runs redis-benchmark against `run.url` calling the redis-lua lab's own withdraw script
 * (change-balance.lua) by EVALSHA, with the keys and arguments the lab sends, at `run.clients`
 * connections, and returns its operations per second. The script is loaded first (redis-benchmark
 * cannot fall back to EVAL); the keys it writes live in a namespace of their own, deleted after.
 */
export const runRedisLuaBenchmark = async (run: RedisLuaBenchRun): Promise<number> => {
  const redis = await connectRedis(run.url);
  const namespace = `bench_${randomBytes(4).toString('hex')}`;
  try {
    const { sha, keys, argumentsFor } = await loadWithdrawal(redis, namespace, 'redis-benchmark');
    await redis.hset(keys.account(1), { balance: BALANCE, version: 0 });
    const { hostname, port, password } = new URL(run.url);
    const args = [
      '-h',
      hostname,
      '-p',
      port || '6379',
      '-c',
      String(run.clients),
      '-n',
      String(run.requests),
    ];
    if (password) args.push('-a', decodeURIComponent(password), '--no-auth-warning');
    // -r makes __rand_int__ a random op id per call, as every lab call has its own.
    args.push('-r', '1000000000', '--csv');
    args.push('EVALSHA', sha, ...argumentsFor('op-__rand_int__'));
    const output = await runTool('redis-benchmark', args);
    // Every call must have succeeded (the withdraw reached the stream), or the figure measures refusals.
    const calls = await redis.xlen(keys.ledger);
    if (calls < run.requests) throw new Error(`only ${calls} of ${run.requests} benchmark calls took effect`);
    return parseCsvRps(output);
  } finally {
    await deleteNamespace(redis, namespace).catch(() => {});
    await closeRedis(redis);
  }
};
