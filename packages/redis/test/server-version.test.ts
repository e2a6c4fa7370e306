import { describe, expect, it } from 'vitest';
import { redisServerBinaryVersion, serverVersion, startRedisNodes, stopRedisNodes } from '../src/index.ts';

describe('serverVersion', () => {
  it('asks a running server, which reports the version of the redis-server binary that started it', async () => {
    const nodes = await startRedisNodes(1);
    try {
      const version = await serverVersion(nodes[0]?.url ?? '');
      expect(version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(await redisServerBinaryVersion()).toBe(version);
    } finally {
      await stopRedisNodes(nodes);
    }
  });

  it('gives null, never a throw, for a server that does not answer, one that is gone, and a URL that is none', async () => {
    const [node] = await startRedisNodes(1);
    if (!node) throw new Error('no node');
    try {
      node.pause();
      expect(await serverVersion(node.url)).toBeNull();
      node.resume();
    } finally {
      await node.stop();
    }
    expect(await serverVersion(node.url)).toBeNull();
    expect(await serverVersion('not a url')).toBeNull();
  });
});

describe('redisServerBinaryVersion', () => {
  it('gives null when there is no such program', async () => {
    expect(await redisServerBinaryVersion('redis-server-that-is-not-installed')).toBeNull();
  });
});
