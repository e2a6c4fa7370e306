import { type Lab, type LabStore, resolveLabOptions, sessionFrom } from '@concurrency-lab/model';
import { ServiceHub } from '@concurrency-lab/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLabApp } from '../src/lab-app.ts';
import { ServedLab } from '../src/served-lab.ts';
import { ServerConfigError, serverConfigFromEnv } from '../src/server-config.ts';
import { ADMIN_TOKEN, type ServerFixture, startServerFixture } from './lab-server-fixture.ts';

describe('configuration', () => {
  it('binds 127.0.0.1 by default, serves every lab, and leaves admin routes off', () => {
    const config = serverConfigFromEnv({});
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, adminToken: undefined, replicas: 1 });
    expect(config.labs.map(({ lab }) => lab.name)).toContain('update-returning');
  });

  it('names the variable and what it accepts when a value is refused', () => {
    expect(() => serverConfigFromEnv({ LAB_PORT: 'eighty' })).toThrow(
      /LAB_PORT must be an integer from 0 to 65535/,
    );
    expect(() => serverConfigFromEnv({ LAB_LABS: 'nope' })).toThrow(
      /LAB_LABS names an unknown lab "nope"; labs: .*update-returning/,
    );
    expect(() => serverConfigFromEnv({ LAB_REPLICAS: '2', LAB_REPLICA_INDEX: '2' })).toThrow(
      ServerConfigError,
    );
    expect(() =>
      serverConfigFromEnv({ LAB_OPTIONS: '{"naive":{"isolation":"serializable"}}', LAB_LABS: 'naive' }),
    ).toThrow(/LAB_OPTIONS for naive: lab naive has no option --isolation/);
  });
});

describe('a server over the real Postgres', () => {
  let fixture: ServerFixture;
  beforeAll(async () => {
    fixture = await startServerFixture(['update-returning', 'naive']);
  });
  afterAll(async () => {
    await fixture?.close();
  });

  it('listens on loopback and reports its labs and their expectations', async () => {
    expect(new URL(fixture.url).hostname).toBe('127.0.0.1');
    const health = await fixture.get('/health');
    expect(health.body).toMatchObject({ status: 'ok', labs: ['update-returning', 'naive'] });
    const labs = await fixture.get('/labs');
    const naive = (labs.body.labs as Array<{ name: string; expect: Record<string, string> }>).find(
      (l) => l.name === 'naive',
    );
    expect(naive?.expect.replicas).toBe('unsafe');
  });

  it('requires the admin token for a reset', async () => {
    const noAuth = await fetch(`${fixture.url}/admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'withdraw-storm' }),
    });
    expect(noAuth.status).toBe(401);
    const wrong = await fetch(`${fixture.url}/admin/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}x` },
      body: JSON.stringify({ scenario: 'withdraw-storm' }),
    });
    expect(wrong.status).toBe(401);
    expect((await fixture.reset('no-such-scenario')).body).toMatchObject({
      error: 'invalid_request',
      field: 'scenario',
    });
    expect((await fixture.reset('withdraw-storm', 'mutex')).status).toBe(404);
    const ok = await fixture.reset('withdraw-storm');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      labs: ['update-returning', 'naive'],
      initialState: { accounts: [{ id: 1, balance: 10_000 }] },
    });
  });

  it('maps outcomes to statuses: 200 with the value, 409 with the reason, 404', async () => {
    await fixture.reset('withdraw-storm', 'update-returning');
    const path = '/labs/update-returning/accounts/1';
    const ok = await fixture.post(`${path}/withdraw`, { amount: 2 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ balance: 9998 });
    expect(String(ok.body.opId)).toMatch(/^r0-[0-9a-f]{6}-\d+$/);
    expect((await fixture.post(`${path}/deposit`, { amount: 5 })).body).toMatchObject({ balance: 10_003 });
    const refused = await fixture.post(`${path}/withdraw`, { amount: 20_000 });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: 'insufficient_funds',
      message: expect.stringMatching(/account 1 has less than 20000/),
    });
    expect((await fixture.get(path)).body).toEqual({ id: 1, balance: 10_003, version: 2 });

    await fixture.reset('replicas', 'update-returning');
    for (let i = 0; i < 10; i++) {
      expect((await fixture.post('/labs/update-returning/items/sku-flash/reserve', { qty: 1 })).status).toBe(
        200,
      );
    }
    const sold = await fixture.post('/labs/update-returning/items/sku-flash/reserve', { qty: 1 });
    expect(sold.status).toBe(409);
    expect(sold.body.error).toBe('out_of_stock');
    expect((await fixture.get('/labs/update-returning/items/sku-flash')).body).toMatchObject({
      available: 0,
      reserved: 10,
    });
  });

  it("names an op by the client's Lab-Op-Key in its id and ledger row, and refuses a malformed key, changing nothing", async () => {
    await fixture.reset('withdraw-storm', 'update-returning');
    const withdraw = (headers: Record<string, string>) =>
      fetch(`${fixture.url}/labs/update-returning/accounts/1/withdraw`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ amount: 3 }),
      });
    const keyed = await withdraw({ 'Lab-Op-Key': 'run_7-op-42' });
    expect(keyed.status).toBe(200);
    const { opId } = (await keyed.json()) as { opId: string };
    expect(opId).toMatch(/^r0-[0-9a-f]{6}-\d+\.run_7-op-42$/);
    for (const bad of ['', 'has space', 'dot.in.it', 'x'.repeat(101), 'a, b']) {
      const refused = await withdraw({ 'Lab-Op-Key': bad });
      expect(refused.status, bad).toBe(400);
      expect(await refused.json()).toMatchObject({
        error: 'invalid_request',
        field: 'lab-op-key',
        message: expect.stringContaining('1 to 100 characters, each a letter, a digit, _ or -'),
      });
    }
    const ledger = await fixture.get('/labs/update-returning/ledger');
    expect((ledger.body.rows as Array<{ opId: string }>).map((row) => row.opId)).toEqual([opId]);
    expect((await fixture.get('/labs/update-returning/accounts/1')).body).toMatchObject({ balance: 9997 });
  });

  it('checks the state and ledger: valid after a correct run, invalid once the state is corrupted', async () => {
    await fixture.reset('replicas', 'update-returning');
    const replies = await Promise.all(
      Array.from({ length: 40 }, () =>
        fixture.post('/labs/update-returning/items/sku-flash/reserve', { qty: 1 }),
      ),
    );
    expect(replies.filter((r) => r.status === 200)).toHaveLength(10);
    const check = await fixture.get('/labs/update-returning/check');
    expect(check.body).toMatchObject({
      scenario: 'replicas',
      valid: true,
      violations: [],
      expectation: 'safe',
      matchesExpectation: true,
      coverage: { localOps: 40, ledgerRows: 10, opsFromLedger: 0, failCountsChecked: true },
    });

    // What a lost update looks like to the check: stock put back without a ledger row.
    const db = fixture.server.labs.get('update-returning')?.context.services.postgres?.db;
    await db?.updateTable('stock_items').set({ available: 3 }).where('sku', '=', 'sku-flash').execute();
    const broken = await fixture.get('/labs/update-returning/check');
    expect(broken.body.valid).toBe(false);
    expect((broken.body.violations as Array<{ kind: string }>).map((v) => v.kind)).toEqual(
      expect.arrayContaining(['stock-created', 'stock-total-changed']),
    );
    expect((await fixture.get('/labs/update-returning/check?scenario=bogus')).status).toBe(400);
  });

  it('finishes in-flight requests on close, then refuses connections and closes its pools', async () => {
    const hub = new ServiceHub();
    const slow = await startServerFixture(['naive'], { LAB_RACE_WINDOW_MS: '400' }, hub);
    await slow.reset('withdraw-storm');
    const inFlight = slow.post('/labs/naive/accounts/1/withdraw', { amount: 2 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = slow.server.close();
    const done = await inFlight;
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ balance: 9998 });
    // Closed right after the last response, without waiting for the client's keep-alive to lapse.
    const answered = performance.now();
    await closed;
    expect(performance.now() - answered).toBeLessThan(1_500);
    await expect(fetch(`${slow.url}/health`)).rejects.toThrow();
    const db = slow.server.labs.get('naive')?.context.services.postgres?.db;
    await expect(db?.selectFrom('accounts').selectAll().execute()).rejects.toThrow();
    await hub.close();
  });
});

describe('when a backing service is down', () => {
  it('answers 503 with the reason, not 500', async () => {
    // A Postgres of its own (the hub starts an embedded one), so that stopping it hurts no one else.
    const shared = process.env.LAB_DATABASE_URL;
    delete process.env.LAB_DATABASE_URL;
    const hub = new ServiceHub();
    let fixture: ServerFixture | undefined;
    try {
      fixture = await startServerFixture(['update-returning'], {}, hub);
      await fixture.reset('withdraw-storm');
      expect((await fixture.post('/labs/update-returning/accounts/1/withdraw', { amount: 2 })).status).toBe(
        200,
      );
      await hub.close();
      const response = await fetch(`${fixture.url}/labs/update-returning/accounts/1/withdraw`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 2 }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      const body = (await response.json()) as Record<string, string>;
      expect(body.error).toBe('service_unavailable');
      expect(body.reason).toMatch(/^Postgres is unavailable: /);
      expect(body.message).toMatch(/may or may not have taken effect/);
      const read = await fetch(`${fixture.url}/labs/update-returning/accounts/1`);
      expect(read.status).toBe(503);
    } finally {
      process.env.LAB_DATABASE_URL = shared;
      await fixture?.server.close(1000);
      await hub.close();
    }
  });
});

describe('when a lab fails in an unknown way', () => {
  it('answers 500 without the error text or a stack trace, and logs them', async () => {
    const store: LabStore = {
      reset: async () => {},
      readState: async () => ({ accounts: [], items: [] }),
      readAccount: async () => undefined,
      readItem: async () => undefined,
      readLedger: async () => [],
    };
    const boom = async (): Promise<never> => {
      throw new TypeError('secret internal detail');
    };
    const brokenLab: Lab = {
      name: 'broken',
      title: 'Broken',
      summary: 'throws from every operation',
      needs: [],
      expect: { 'withdraw-storm': 'safe' },
      store: () => store,
      open: async () =>
        sessionFrom({
          withdraw: boom,
          deposit: boom,
          reserve: boom,
          transfer: boom,
          withdrawJoint: boom,
          basket: boom,
        }),
    };
    const served = new ServedLab({
      lab: brokenLab,
      context: {
        lab: 'broken',
        options: resolveLabOptions(brokenLab, {}),
        services: {},
        namespace: 'broken',
      },
      replicaId: 'r0-test',
      replicaIndex: 0,
      raceWindowMs: 0,
    });
    const logged: string[] = [];
    const app = createLabApp({
      labs: new Map([['broken', served]]),
      adminToken: undefined,
      replicas: 1,
      replicaId: 'r0-test',
      replicaIndex: 0,
      bodyLimitBytes: 1024,
      log: (line) => logged.push(line),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const response = await fetch(`http://127.0.0.1:${port}/labs/broken/accounts/1/withdraw`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount: 2 }),
      });
      expect(response.status).toBe(500);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ error: 'internal_error', opId: 'r0-test-1' });
      expect(text).not.toMatch(/secret internal detail|TypeError|\.ts:\d+/);
      expect(logged.join('\n')).toMatch(/op r0-test-1 \(broken\): TypeError: secret internal detail\n\s+at /);
      // The op is in the history as unknown: its effect cannot be known.
      expect(served.history.ops[0]?.outcome).toEqual({ type: 'info', error: 'secret internal detail' });
      const admin = await fetch(`http://127.0.0.1:${port}/admin/reset`, { method: 'POST' });
      expect(admin.status).toBe(403);
      expect(await admin.text()).toMatch(/LAB_ADMIN_TOKEN/);
    } finally {
      server.close();
    }
  });
});
