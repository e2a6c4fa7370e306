import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  closeRedis,
  connectRedis,
  deleteNamespace,
  type LuaScript,
  namespacedKey,
  parseRedlockUrls,
  type RedisNode,
  redisCall,
  scriptFailure,
  startRedisNodes,
  stopRedisNodes,
  withScripts,
} from '../src/index.ts';

let nodes: RedisNode[] = [];
beforeAll(async () => {
  nodes = await startRedisNodes(2);
});
afterAll(() => stopRedisNodes(nodes));
const node = (i: number) => nodes[i] as RedisNode;

/** How long `promise` took to settle, and its rejection. */
const timeRejection = async (promise: Promise<unknown>) => {
  const started = performance.now();
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  return { error, ms: performance.now() - started };
};

describe('a Redis that is down or unreachable', () => {
  it('gives an error naming the URL, not a hang, when nothing listens there', async () => {
    const [down] = await startRedisNodes(1);
    if (!down) throw new Error('no node');
    await down.stop();
    const { error, ms } = await timeRejection(
      connectRedis(down.url, { connectTimeoutMs: 500, commandTimeoutMs: 500 }),
    );
    expect(error?.message).toContain(`Redis at ${down.url} did not answer`);
    expect(error?.message).toMatch(/ECONNREFUSED/);
    expect(error?.message).toMatch(/LAB_REDIS_URL/);
    // A bound against a hang (the default wait is minutes), not a speed measurement: generous on purpose.
    expect(ms).toBeLessThan(10_000);
  });

  it('gives an error naming the URL within the timeouts when the server is frozen', async () => {
    node(1).pause();
    try {
      const { error, ms } = await timeRejection(
        connectRedis(node(1).url, { connectTimeoutMs: 300, commandTimeoutMs: 300 }),
      );
      expect(error?.message).toContain(`Redis at ${node(1).url} did not answer`);
      expect(ms).toBeLessThan(10_000);
    } finally {
      node(1).resume();
    }
  });

  it('fails a call on an open connection within the command timeout, naming the URL and the setting', async () => {
    const client = await connectRedis(node(1).url, { commandTimeoutMs: 300 });
    const service = { url: node(1).url, client, commandTimeoutMs: 300 };
    node(1).pause();
    try {
      const { error, ms } = await timeRejection(redisCall(service, (r) => r.get('anything')));
      expect(error?.message).toMatch(/timed out after 300 ms \(LAB_REDIS_COMMAND_TIMEOUT_MS\)/);
      expect(error?.message).toContain(`Redis at ${node(1).url}`);
      expect(ms).toBeLessThan(10_000);
    } finally {
      node(1).resume();
      await closeRedis(client);
    }
  });
});

describe('Lua scripts as named commands', () => {
  // A script of the test's own: adds ARGV[1] to KEYS[1] and logs it to the stream KEYS[2], as the labs' do.
  const addAndLog: LuaScript = {
    lua: "local after = redis.call('INCRBY', KEYS[1], ARGV[1]) redis.call('XADD', KEYS[2], '*', 'v', after) return after",
    numberOfKeys: 2,
  };
  interface TestCommands {
    testAddAndLog(counterKey: string, logKey: string, delta: number): Promise<number>;
  }

  it('runs a script by EVALSHA and falls back to EVAL when the server forgot it (NOSCRIPT)', async () => {
    const redis = withScripts<TestCommands>(await connectRedis(node(0).url), { testAddAndLog: addAndLog });
    await redis.set('fallback:counter', 10);
    expect(await redis.testAddAndLog('fallback:counter', 'fallback:log', -4)).toBe(6);
    // As after a restart: the script cache is empty, and the next EVALSHA is answered NOSCRIPT.
    await redis.script('FLUSH');
    expect(await redis.script('EXISTS', sha1(addAndLog.lua))).toEqual([0]);
    expect(await redis.testAddAndLog('fallback:counter', 'fallback:log', -4)).toBe(2);
    expect(await redis.xlen('fallback:log')).toBe(2);
    await closeRedis(redis);
  });

  it("turns a script's refusal into a fail outcome, and an unknown reason into an error", () => {
    expect(scriptFailure(['fail', 'out_of_stock'])).toEqual({ type: 'fail', reason: 'out_of_stock' });
    expect(() => scriptFailure(['fail', 'no_such_reason'])).toThrow(/unknown failure reason/);
  });
});

describe('namespaces', () => {
  it('deleting one namespace leaves every other key alone, even with glob characters in the name', async () => {
    const redis = await connectRedis(node(0).url);
    await redis.set(namespacedKey('run_a', 'x'), 1);
    await redis.set(namespacedKey('run_a', 'y'), 1);
    await redis.set(namespacedKey('run_ab', 'x'), 1);
    await redis.set(namespacedKey('run_*', 'x'), 1);
    await redis.set('unrelated', 1);
    expect(await deleteNamespace(redis, 'run_*')).toBe(1);
    expect(await deleteNamespace(redis, 'run_a')).toBe(2);
    expect((await redis.keys('*')).filter((k) => !k.startsWith('fallback:')).sort()).toEqual([
      namespacedKey('run_ab', 'x'),
      'unrelated',
    ]);
    await closeRedis(redis);
  });
});

describe('LAB_REDLOCK_URLS', () => {
  it('accepts independent redis:// URLs and rejects too few, duplicates and non-URLs', () => {
    const five = 'redis://a:1, redis://b:1,redis://c:1,redis://d:1,redis://e:1';
    expect(parseRedlockUrls(five)).toHaveLength(5);
    expect(() => parseRedlockUrls('redis://a:1,redis://b:1')).toThrow(/at least 3 \(normally 5\)/);
    expect(() => parseRedlockUrls('redis://a:1,redis://a:1,redis://b:1')).toThrow(/same Redis twice/);
    expect(() => parseRedlockUrls('redis://a:1,b:1,redis://c:1')).toThrow(
      /LAB_REDLOCK_URLS must be a redis:\/\//,
    );
  });
});

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
