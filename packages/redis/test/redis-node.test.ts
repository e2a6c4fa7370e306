import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  closeRedis,
  connectRedis,
  type RedisNode,
  RedisServerNotFoundError,
  startRedisNodes,
  stopRedisNodes,
} from '../src/index.ts';
import { allGone, isAlive } from './process-state.ts';

const fixture = fileURLToPath(new URL('./fixtures/start-nodes-then.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

// Every node any test here starts; afterAll asserts that not one of them is left running.
const started: RedisNode[] = [];
const pidsSeen = new Set<number>();
const track = (nodes: RedisNode[]) => {
  started.push(...nodes);
  for (const node of nodes) if (node.pid) pidsSeen.add(node.pid);
  return nodes;
};

afterAll(async () => {
  await stopRedisNodes(started);
  expect(await allGone([...pidsSeen])).toBe(true);
});

/** Runs the fixture, which starts two nodes and prints their pids, then ends as `how` says. */
const runFixture = async (how: string) => {
  const child = spawn(process.execPath, [fixture, how], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const deadline = performance.now() + 20_000;
  while (!stdout.includes('\n') && child.exitCode === null && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const pids = JSON.parse(stdout.split('\n')[0] || 'null') as number[] | null;
  if (!pids) throw new Error(`the fixture printed no pids; its stderr: ${stderr}`);
  return { child, pids, exited, stderr: () => stderr, stdout: () => stdout };
};

describe('self-started redis-server nodes', () => {
  it('start on free loopback ports, answer, and stop without leaving a process', async () => {
    const nodes = track(await startRedisNodes(3));
    expect(new Set(nodes.map((node) => node.port)).size).toBe(3);
    const pids = nodes.map((node) => node.pid as number);
    expect(pids.every(isAlive)).toBe(true);
    for (const node of nodes) {
      expect(node.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
      const redis = await connectRedis(node.url);
      await redis.set('greeting', node.url);
      expect(await redis.get('greeting')).toBe(node.url);
      // Nothing is ever written to disk.
      expect(await redis.config('GET', 'save')).toEqual(['save', '']);
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      await closeRedis(redis);
    }
    await stopRedisNodes(nodes);
    expect(nodes.map((node) => node.state)).toEqual(['stopped', 'stopped', 'stopped']);
    expect(await allGone(pids)).toBe(true);
  });

  it('pause (SIGSTOP) makes a node silent and resume (SIGCONT) brings it back with its data', async () => {
    const [node] = track(await startRedisNodes(1));
    if (!node) throw new Error('no node');
    const redis = await connectRedis(node.url, { commandTimeoutMs: 300 });
    await redis.set('k', 'v');
    node.pause();
    expect(node.state).toBe('paused');
    const asked = performance.now();
    await expect(redis.get('k')).rejects.toThrow(/timed out/i);
    expect(performance.now() - asked).toBeLessThan(2_000);
    node.resume();
    expect(node.state).toBe('running');
    expect(await redis.get('k')).toBe('v');
    await closeRedis(redis);
    await node.stop();
  });

  it('kill (SIGKILL) ends a node at once, and restart brings up an empty one on the same URL', async () => {
    const [node] = track(await startRedisNodes(1));
    if (!node) throw new Error('no node');
    const { url } = node;
    const first = node.pid as number;
    await node.kill();
    expect(node.state).toBe('stopped');
    expect(await allGone([first])).toBe(true);
    await node.restart();
    if (node.pid) pidsSeen.add(node.pid);
    expect(node.url).toBe(url);
    expect(node.pid).not.toBe(first);
    const redis = await connectRedis(url);
    expect(await redis.dbsize()).toBe(0);
    await closeRedis(redis);
    // A paused node stops too (it is continued first, or it could not act on SIGTERM).
    node.pause();
    const paused = node.pid as number;
    await node.stop();
    expect(await allGone([paused])).toBe(true);
  });

  it('says what is missing and how to fix it when redis-server is not on PATH', async () => {
    const attempt = startRedisNodes(1, { searchPath: '/nonexistent' });
    await expect(attempt).rejects.toBeInstanceOf(RedisServerNotFoundError);
    await expect(attempt).rejects.toThrow(/redis-server is not on PATH/);
    await expect(attempt).rejects.toThrow(/apt-get install redis-server/);
    await expect(attempt).rejects.toThrow(/LAB_REDIS_URL/);
    await expect(attempt).rejects.toThrow(/LAB_REDLOCK_URLS/);
  });
});

describe('no redis-server outlives the process that started it', () => {
  it('when the run stops them and ends: promptly, with exit code 0', async () => {
    const { pids, exited, stdout } = await runFixture('stop');
    const printed = performance.now();
    const [code] = await exited;
    expect(code).toBe(0);
    expect(stdout()).toContain('stopped');
    expect(performance.now() - printed).toBeLessThan(3_000);
    expect(await allGone(pids)).toBe(true);
  });

  it.each([
    ['ends without stopping them', 'end'],
    ['crashes with an uncaught exception', 'crash'],
    ['crashes with an unhandled rejection', 'reject'],
  ])('when the run %s', async (_label, how) => {
    const { pids, exited, stderr } = await runFixture(how);
    expect(pids.every(isAlive)).toBe(true);
    const [code] = await exited;
    if (how !== 'end') expect(code, stderr()).toBe(1);
    expect(await allGone(pids)).toBe(true);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('when the run gets %s (Ctrl-C, a supervisor)', async (signal) => {
    const { child, pids, exited } = await runFixture('wait');
    expect(pids.every(isAlive)).toBe(true);
    child.kill(signal);
    const [, bySignal] = await exited;
    // Re-raised after the clean-up: the process still ends the way the signal means.
    expect(bySignal).toBe(signal);
    expect(await allGone(pids)).toBe(true);
  });

  it("leaves the ending to the run's own SIGTERM handler, when it has one", async () => {
    const { child, pids, exited } = await runFixture('graceful');
    child.kill('SIGTERM');
    const [code] = await exited;
    expect(code).toBe(7);
    expect(await allGone(pids)).toBe(true);
  });

  it('when the run is SIGKILLed, which no hook can see (the parent-death signal)', async () => {
    const { child, pids, exited } = await runFixture('wait');
    child.kill('SIGKILL');
    await exited;
    expect(await allGone(pids)).toBe(true);
  });
});
