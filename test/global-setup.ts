import { type EmbeddedServer, startEmbeddedPostgres } from '@concurrency-lab/postgres';
import { REDLOCK_NODE_COUNT, type RedisNode, startRedisNodes, stopRedisNodes } from '@concurrency-lab/redis';
import { allGone } from '../packages/redis/test/process-state.ts';

let postgres: EmbeddedServer | undefined;
let redisNodes: RedisNode[] = [];

/**
 * Starts one embedded Postgres for the whole test run unless LAB_DATABASE_URL names a server,
 * one redis-server unless LAB_REDIS_URL is set and five unless LAB_REDLOCK_URLS is set, and passes
 * their URLs to the test workers through the environment. Every run inside them gets a schema or
 * key prefix of its own, so test files never see each other's data. The Redis nodes are killed
 * with this process even if teardown never runs (see @concurrency-lab/redis).
 */
export const setup = async (): Promise<void> => {
  // A package whose tests need neither (LAB_TEST_SERVICES=none in its test script) starts nothing.
  if (process.env.LAB_TEST_SERVICES === 'none') return;
  const needRedis = !process.env.LAB_REDIS_URL;
  const needRedlock = !process.env.LAB_REDLOCK_URLS;
  const [server, nodes] = await Promise.all([
    process.env.LAB_DATABASE_URL ? undefined : startEmbeddedPostgres(),
    needRedis || needRedlock
      ? startRedisNodes((needRedis ? 1 : 0) + (needRedlock ? REDLOCK_NODE_COUNT : 0))
      : [],
  ]);
  postgres = server;
  redisNodes = nodes;
  if (server) process.env.LAB_DATABASE_URL = server.url;
  const urls = nodes.map((node) => node.url);
  if (needRedis) process.env.LAB_REDIS_URL = urls.shift();
  if (needRedlock) process.env.LAB_REDLOCK_URLS = urls.join(',');
};

export const teardown = async (): Promise<void> => {
  const pids = redisNodes.flatMap((node) => (node.pid === undefined ? [] : [node.pid]));
  await Promise.allSettled([postgres?.stop(), stopRedisNodes(redisNodes)]);
  // The run leaves no redis-server behind: asserted here, where the last of them is stopped.
  if (!(await allGone(pids)))
    throw new Error(`redis-server processes still running after the tests: ${pids.join(', ')}`);
};
