import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { findConsecutiveFreePorts } from '@concurrency-lab/server';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const TOKEN = 'serve-test-token';
let serve: ChildProcess | undefined;

afterAll(() => {
  if (serve?.exitCode === null) serve.kill('SIGKILL');
});

describe('pnpm lab serve', () => {
  it('starts one embedded Postgres and N replicas on consecutive ports that share it, and stops all on SIGTERM', async () => {
    const port = await findConsecutiveFreePorts(2, '127.0.0.1');
    // The CLI's own entry point, under Node's type stripping: signals reach it directly, not through pnpm.
    serve = spawn(
      process.execPath,
      [
        'apps/cli/src/bin.ts',
        'serve',
        '--replicas',
        '2',
        '--port',
        String(port),
        '--labs',
        'update-returning',
      ],
      // No LAB_DATABASE_URL: the command starts the embedded Postgres itself, once, for both replicas.
      {
        cwd: root,
        env: { ...process.env, NO_COLOR: '1', LAB_ADMIN_TOKEN: TOKEN, LAB_DATABASE_URL: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    serve.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    serve.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const deadline = Date.now() + 90_000;
    while (!stdout.includes('Ctrl-C stops') && Date.now() < deadline && serve.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(stdout, stderr).toContain(`http://127.0.0.1:${port}\n  http://127.0.0.1:${port + 1}\n`);
    expect(stdout).toContain('POST /admin/reset is enabled');
    expect(stdout).not.toContain(TOKEN);
    // One Postgres, named once (password hidden), on a port of its own.
    const databases = [
      ...stdout.matchAll(/LAB_DATABASE_URL=postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:(\d+)\//g),
    ];
    expect(databases).toHaveLength(1);
    const postgresPort = Number(databases[0]?.[1]);

    const [first, second] = [`http://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`];
    const health = await Promise.all(
      [first, second].map(async (url) => (await fetch(`${url}/health`)).json()),
    );
    expect(health.map((h) => (h as { replica: { index: number; of: number } }).replica)).toEqual([
      expect.objectContaining({ index: 0, of: 2 }),
      expect.objectContaining({ index: 1, of: 2 }),
    ]);
    // A reset through one replica and a withdrawal through the other meet in the same row.
    const reset = await fetch(`${first}/admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ scenario: 'withdraw-storm' }),
    });
    expect(reset.status).toBe(200);
    const withdraw = await fetch(`${second}/labs/update-returning/accounts/1/withdraw`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 2 }),
    });
    expect(await withdraw.json()).toMatchObject({ balance: 9998 });
    expect(await (await fetch(`${first}/labs/update-returning/accounts/1`)).json()).toMatchObject({
      balance: 9998,
    });

    serve.kill('SIGTERM');
    const [code] = await once(serve, 'exit');
    expect(code).toBe(0);
    expect(stderr).toContain('SIGTERM: stopping the replicas');
    for (const url of [first, second]) await expect(fetch(`${url}/health`)).rejects.toThrow();
    // The embedded Postgres stopped with the command.
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port: postgresPort });
      socket.once('connect', () => {
        socket.destroy();
        resolve(false);
      });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});
