import { connect } from 'node:net';
import { findConsecutiveFreePorts } from '@concurrency-lab/server';
import { afterAll, describe, expect, it } from 'vitest';
import { type LabProcess, startLab } from './lab-process.ts';
import { runCli } from './run-cli.ts';

const TOKEN = 'serve-test-token';
let serve: LabProcess | undefined;

afterAll(() => {
  if (serve?.child.exitCode === null) process.kill(-serve.group, 'SIGKILL');
});

/** `lab serve` of update-returning with `replicas` replicas from `port` on, and `extra` flags. */
const serveArgs = (port: number, replicas: number, ...extra: string[]) => [
  'serve',
  '--replicas',
  String(replicas),
  '--port',
  String(port),
  '--labs',
  'update-returning',
  ...extra,
];

/** Seeds the withdraw-storm state through the replica at `url`. */
const resetThrough = (url: string) =>
  fetch(`${url}/admin/reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ scenario: 'withdraw-storm' }),
  });

describe('pnpm lab serve', () => {
  it('starts one embedded Postgres and N replicas on consecutive ports that share it, and stops all on SIGTERM', async () => {
    const port = await findConsecutiveFreePorts(2, '127.0.0.1');
    // The CLI's own entry point, under Node's type stripping: signals reach it directly, not through pnpm.
    // No LAB_DATABASE_URL: the command starts the embedded Postgres itself, once, for both replicas.
    serve = startLab(serveArgs(port, 2), { LAB_ADMIN_TOKEN: TOKEN, LAB_DATABASE_URL: '' });
    await serve.waitFor(/Ctrl-C stops/, 90_000);
    const stdout = serve.stdout();
    expect(stdout, serve.stderr()).toContain(`http://127.0.0.1:${port}\n  http://127.0.0.1:${port + 1}\n`);
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
    const reset = await resetThrough(first);
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

    serve.child.kill('SIGTERM');
    expect(await serve.exited()).toBe(0);
    expect(serve.stderr()).toContain('SIGTERM: stopping the replicas');
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

/** The pid of each replica, from the lines the replicas print when they are ready. */
const replicaPids = (output: string): Map<number, number> =>
  new Map(
    [...output.matchAll(/\[replica (\d+)\] replica \d+\/\d+ \([^,]+, pid (\d+)\) serves/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]),
  );

/** Deposits of 1 sent to `urls` by `workers` clients until `until()` says stop (at most `limit` in all); their statuses. */
const depositLoad = async (urls: readonly string[], until: () => boolean, workers = 8, limit = 5_000) => {
  const statuses: number[] = [];
  let sent = 0;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (!until() && sent < limit) {
        const url = urls[(sent++ + worker) % urls.length];
        const response = await fetch(`${url}/labs/update-returning/accounts/1/deposit`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ amount: 1 }),
        });
        await response.arrayBuffer();
        statuses.push(response.status);
      }
    }),
  );
  return statuses;
};

describe('pnpm lab serve --replicas 3, one replica killed under load', () => {
  it('reports the death, restarts the replica on its port, and the other two answer every request meanwhile', async () => {
    const port = await findConsecutiveFreePorts(3, '127.0.0.1');
    const serving = startLab(serveArgs(port, 3), { LAB_ADMIN_TOKEN: TOKEN });
    try {
      await serving.waitFor(/Ctrl-C stops/, 90_000);
      expect(serving.stdout()).toContain('A replica that dies is restarted');
      const urls = [0, 1, 2].map((i) => `http://127.0.0.1:${port + i}`);
      const reset = await resetThrough(urls[0] as string);
      expect(reset.status).toBe(200);
      const before = (await (await fetch(`${urls[1]}/health`)).json()) as { replica: { id: string } };
      const victim = replicaPids(serving.stderr()).get(2);
      expect(victim).toBeGreaterThan(0);

      let back = false;
      const load = depositLoad([urls[0] as string, urls[2] as string], () => back);
      await new Promise((resolve) => setTimeout(resolve, 300));
      process.kill(victim as number, 'SIGKILL');
      await serving.waitFor(/replica 2 is back/, 60_000);
      back = true;
      const statuses = await load;

      expect(serving.stderr()).toContain('replica 2 exited unexpectedly (signal SIGKILL); restarting it');
      expect(statuses.length).toBeGreaterThan(0);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
      // The dead replica is back on its port: a new process, the same index, serving the same state.
      const after = (await (await fetch(`${urls[1]}/health`)).json()) as {
        replica: { id: string; index: number };
      };
      expect(after.replica.index).toBe(1);
      expect(after.replica.id).not.toBe(before.replica.id);
      const account = (await (await fetch(`${urls[1]}/labs/update-returning/accounts/1`)).json()) as {
        balance: number;
      };
      expect(account.balance).toBe(10_000 + statuses.length);
      expect(replicaPids(serving.stderr()).get(2)).not.toBe(victim);
    } finally {
      process.kill(-serving.group, 'SIGTERM');
      expect(await serving.exited()).toBe(0);
    }
  });

  it('with --on-replica-exit stop, stops every replica when one dies, as it used to', async () => {
    const port = await findConsecutiveFreePorts(2, '127.0.0.1');
    const serving = startLab(serveArgs(port, 2, '--on-replica-exit', 'stop'), {});
    try {
      await serving.waitFor(/Ctrl-C stops/, 90_000);
      const victim = replicaPids(serving.stderr()).get(2);
      process.kill(victim as number, 'SIGKILL');
      expect(await serving.exited()).toBe(1);
      expect(serving.stderr()).toContain(
        'replica 2 exited unexpectedly (signal SIGKILL); stopping the others',
      );
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
    } finally {
      if (serving.child.exitCode === null) process.kill(-serving.group, 'SIGKILL');
    }
  });

  it('refuses an unknown --on-replica-exit policy, naming the accepted ones', () => {
    const { status, stderr } = runCli('serve', '--on-replica-exit', 'ignore');
    expect(status).toBe(2);
    expect(stderr).toContain('--on-replica-exit must be one of restart, stop');
  });
});
