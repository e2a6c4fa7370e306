import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { labSchemas, terminateBackends } from '@concurrency-lab/postgres';
import { closeRedis, connectRedis } from '@concurrency-lab/redis';
import { afterEach, describe, expect, it } from 'vitest';
import { groupLeftovers, type LabProcess, startLab } from './lab-process.ts';

// `lab run` as a whole process, stopped the ways a user stops it, with everything it started in its
// process group: the partial result is printed, the run's schema and keys are removed, nothing it
// started keeps running, and nothing is left in its temporary folder.

let running: LabProcess | undefined;
const folders: string[] = [];
afterEach(() => {
  if (running && running.child.exitCode === null) process.kill(-running.group, 'SIGKILL');
  running = undefined;
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A TMPDIR of the command's own (the embedded Postgres's and redis-server's folders go there). */
const privateTmp = (): string => {
  const folder = mkdtempSync(join(tmpdir(), 'lab-run-test-'));
  // The embedded Postgres runs as the postgres user when we are root: it must be able to enter it.
  chmodSync(folder, 0o755);
  folders.push(folder);
  return folder;
};

/** Keys under the run namespaces of `lab` on the Redis at `url` (run namespaces start with the lab's name). */
const runKeys = async (url: string, lab: string): Promise<string[]> => {
  const redis = await connectRedis(url);
  try {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, found] = await redis.scan(
        cursor,
        'MATCH',
        `lab:{${lab.replace(/-/g, '_')}_*`,
        'COUNT',
        1000,
      );
      keys.push(...found);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  } finally {
    await closeRedis(redis);
  }
};

/** The op lines of a history file (its first line is a header about the run). */
const historyOps = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .filter((line) => line && JSON.parse(line).type !== 'header');

describe('lab run stopped by a signal to its process group', () => {
  it('Ctrl-C (SIGINT to the group, the embedded Postgres and redis-server included): prints the partial result, leaves no process and no folder', async () => {
    const tmp = privateTmp();
    const history = join(mkdtempSync(join(tmpdir(), 'lab-run-history-')), 'history.jsonl');
    folders.push(join(history, '..'));
    running = startLab(
      ['run', 'redis-lock', '--scenario', 'withdraw-storm', '--json', '--history', history],
      // Nothing to connect to: the command starts its own Postgres and redis-server.
      { TMPDIR: tmp, LAB_DATABASE_URL: '', LAB_REDIS_URL: '', LAB_PROGRESS_INTERVAL_MS: '200' },
    );
    await running.waitFor(/progress: [1-9][\d,]*\//);
    process.kill(-running.group, 'SIGINT');
    const code = await running.exited();
    expect(code, running.stderr()).toBe(130);

    const result = JSON.parse(running.stdout());
    expect(result).toMatchObject({
      lab: 'redis-lock',
      interrupted: true,
      signal: 'SIGINT',
      plannedOps: 10_000,
    });
    expect(result.counts.total).toBeGreaterThan(0);
    expect(result.counts.total).toBeLessThan(10_000);
    expect(result.verdict.valid).not.toBe(false);
    expect(historyOps(history)).toHaveLength(result.counts.total);
    expect(running.stderr()).toContain('SIGINT: stopping the run');

    expect(await groupLeftovers(running.group)).toEqual([]);
    // Only the embedded Postgres's template (initdb'd once, copied by every later server) is kept.
    expect(readdirSync(tmp).filter((name) => !/^concurrency-lab-pg-template-[0-9a-f]+$/.test(name))).toEqual(
      [],
    );
  });

  it('SIGTERM with the services given (LAB_DATABASE_URL, LAB_REDIS_URL): the run’s schema and keys are removed, the report says it was interrupted', async () => {
    const postgres = process.env.LAB_DATABASE_URL as string;
    const redis = process.env.LAB_REDIS_URL as string;
    const schemasBefore = await labSchemas(postgres);
    const keysBefore = await runKeys(redis, 'redis-lock');
    running = startLab(['run', 'redis-lock', '--scenario', 'withdraw-storm'], {
      TMPDIR: privateTmp(),
      LAB_PROGRESS_INTERVAL_MS: '200',
    });
    await running.waitFor(/progress: [1-9][\d,]*\//);
    // The run is under way: its schema and keys exist now.
    expect((await labSchemas(postgres)).length).toBeGreaterThan(schemasBefore.length);
    // A lock key exists only while a client holds it: look until one is seen (bounded).
    let keysSeen = 0;
    for (let tries = 0; tries < 100 && keysSeen <= keysBefore.length; tries++) {
      keysSeen = (await runKeys(redis, 'redis-lock')).length;
      if (keysSeen <= keysBefore.length) await sleep(20);
    }
    expect(keysSeen).toBeGreaterThan(keysBefore.length);
    process.kill(-running.group, 'SIGTERM');
    expect(await running.exited(), running.stderr()).toBe(143);
    expect(running.stdout()).toMatch(/Interrupted by SIGTERM after \d+ of 10000 operations/);
    expect(running.stdout()).toContain('Verdict');
    expect(await labSchemas(postgres)).toEqual(schemasBefore);
    expect(await runKeys(redis, 'redis-lock')).toEqual(keysBefore);
    expect(await groupLeftovers(running.group)).toEqual([]);
  });
});

describe('lab run while its Postgres backends are terminated', () => {
  it('goes on over new connections, prints an honest result and removes its schema', async () => {
    const postgres = process.env.LAB_DATABASE_URL as string;
    const before = new Set(await labSchemas(postgres));
    running = startLab(['run', 'select-for-update', '--scenario', 'withdraw-storm', '--json'], {
      LAB_PROGRESS_INTERVAL_MS: '200',
    });
    await running.waitFor(/progress: [1-9][\d,]*\//);
    const schema = (await labSchemas(postgres)).find(
      (name) => !before.has(name) && name.startsWith('lab_select'),
    );
    expect(schema).toBeDefined();
    let terminated = 0;
    for (let round = 0; round < 3 && running.child.exitCode === null; round++) {
      terminated += await terminateBackends(postgres, schema as string);
      await sleep(300);
    }
    expect(terminated).toBeGreaterThan(0);
    const code = await running.exited();
    const result = JSON.parse(running.stdout());
    // Every planned operation was issued; the ones on killed connections are unknown to the client,
    // and the ledger tells which of them took effect: the verdict is exact again, SAFE (exit 0).
    expect(result.interrupted).toBe(false);
    expect(result.counts.total).toBe(10_000);
    expect(result.counts.info).toBeGreaterThan(0);
    expect(result.unknownOutcomes.unknown).toBe(result.counts.info);
    expect(result.unknownOutcomes.applied + result.unknownOutcomes.notApplied).toBe(result.counts.info);
    expect(result.verdict).toMatchObject({ valid: true, violations: [] });
    expect(code).toBe(0);
    expect(await labSchemas(postgres)).not.toContain(schema);
  });
});
