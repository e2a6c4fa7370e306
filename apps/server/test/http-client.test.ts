import { setTimeout as sleep } from 'node:timers/promises';
import {
  allCheckers,
  createRng,
  type Op,
  opContextFor,
  resolveUnknowns,
  SCENARIOS,
  type Scenario,
  scenarioNamed,
  withdrawStorm,
} from '@concurrency-lab/harness';
import { HttpLabStore, HttpPools, httpRunStore, openHttpSession } from '@concurrency-lab/http-client';
import type { LedgerEntry, State } from '@concurrency-lab/model';
import { ServiceHub, startToxiproxy, toxiproxyBinary } from '@concurrency-lab/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveOverHttp, hooks } from './http-drive.ts';
import { ADMIN_TOKEN, type ServerFixture, startServerFixture } from './lab-server-fixture.ts';

// The HTTP client of packages/http-client against the real server over the real Postgres: the
// harness's requests, history and checkers, with the lab on the other side of a socket.

/** Every harness checker accepts what a run over HTTP left: its history, the ledger, the state. */
const expectEveryCheckerPasses = (
  scenario: Scenario,
  final: State,
  history: readonly Op[],
  ledger: readonly LedgerEntry[],
) => {
  const verdict = allCheckers.check({
    initial: scenario.initialState,
    final,
    history,
    ledger,
    expected: scenario.expected,
  });
  expect(verdict.violations).toEqual([]);
  expect(verdict.valid).toBe(true);
};

describe('the HTTP client against the real lab server', () => {
  let fixture: ServerFixture;
  const pools = new HttpPools({ connections: 32 });
  beforeAll(async () => {
    fixture = await startServerFixture(['update-returning']);
  });
  afterAll(async () => {
    await pools.close();
    await fixture?.close();
  });

  it('seeds, drives and checks a flash sale through the server’s routes', async () => {
    const store = new HttpLabStore(pools, {
      baseUrl: fixture.url,
      lab: 'update-returning',
      adminToken: ADMIN_TOKEN,
    });
    const reset = await store.reset('flash-sale-basic');
    const sku = reset.initialState.items[0]?.sku as string;
    expect(await store.readItem(sku)).toMatchObject({ available: 100, reserved: 0 });
    expect(await store.readItem('no-such-sku')).toBeUndefined();

    const session = openHttpSession(pools, { baseUrl: fixture.url, lab: 'update-returning' });
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => session.reserve(sku, 1, hooks(`b${i}`))),
    );
    expect(outcomes.filter((o) => o.type === 'ok')).toHaveLength(100);
    const sold = outcomes.map((o) => (o.type === 'ok' ? o.value.available : -1)).sort((a, b) => a - b);
    expect(sold).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(await store.readItem(sku)).toMatchObject({ available: 0, reserved: 100 });
    const check = await store.check();
    expect(check.violations).toEqual([]);
    expect(check).toMatchObject({ valid: true, matchesExpectation: true, scenario: 'flash-sale-basic' });
    // One buyer more than the stock is refused (asked after the check: it holds the run to 100 buyers).
    expect(await session.reserve(sku, 1, hooks('late'))).toMatchObject({
      type: 'fail',
      reason: 'out_of_stock',
    });
  });

  it('withdraw-storm at a tenth of its size: exactly 500 ok, 500 insufficient_funds, no balance twice', async () => {
    const scenario = withdrawStorm({ balance: 1000, amount: 2, count: 1000 });
    const store = new HttpLabStore(pools, {
      baseUrl: fixture.url,
      lab: 'update-returning',
      adminToken: ADMIN_TOKEN,
    });
    await store.reset('withdraw-storm');
    // The server seeds only named scenarios at full size: the smaller balance goes in through the lab's own store.
    const served = fixture.server.labs.get('update-returning');
    await served?.store.reset(scenario.initialState);
    expect(await store.readAccount(1)).toMatchObject({ balance: 1000 });

    const { history, exchanges } = await driveOverHttp(
      pools,
      fixture.url,
      'update-returning',
      scenario.ops(createRng(1)),
      100,
    );
    const okOps = history.filter((op) => op.outcome?.type === 'ok');
    const failed = history.filter((op) => op.outcome?.type === 'fail');
    expect(okOps).toHaveLength(500);
    expect(failed).toHaveLength(500);
    expect(
      failed.every((op) => op.outcome?.type === 'fail' && op.outcome.reason === 'insufficient_funds'),
    ).toBe(true);
    const balances = new Set(okOps.map((op) => (op.outcome?.type === 'ok' ? op.outcome.value : undefined)));
    expect(balances.size).toBe(500);
    expect([...balances].sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 500 }, (_, i) => i * 2),
    );
    expect(await store.readAccount(1)).toMatchObject({ balance: 0 });

    // Every ok names the server's op id, and the ledger holds exactly those: the harness's own
    // checkers, ledger included, accept the HTTP history as they accept an in-process one.
    const ledger = (await served?.store.readLedger()) ?? [];
    expect(new Set(ledger.map((row) => row.opId))).toEqual(new Set(okOps.map((op) => op.id)));
    // GET /labs/:lab/ledger hands a client the same rows, times as dates.
    const overHttp = await store.readLedger();
    expect(overHttp.map((row) => row.opId).sort()).toEqual(ledger.map((row) => row.opId).sort());
    expect(overHttp.every((row) => row.at instanceof Date && !Number.isNaN(row.at.getTime()))).toBe(true);
    expect(exchanges.filter((e) => e.status === 200).every((e) => e.serverOpId !== undefined)).toBe(true);
    expectEveryCheckerPasses(scenario, await store.readState(), history, ledger);
  });

  it.each([
    // The server seeds the scenario's own initial state; 200 transfers from it, all 300 orders.
    ['transfer', SCENARIOS.transfer.scaled(200)],
    ['basket', scenarioNamed('basket')],
    ['write-skew', scenarioNamed('write-skew')],
  ] as const)(
    '%s: every invariant holds on the HTTP history, its ledger rows and the final state',
    async (name, scenario) => {
      const store = new HttpLabStore(pools, {
        baseUrl: fixture.url,
        lab: 'update-returning',
        adminToken: ADMIN_TOKEN,
      });
      const reset = await store.reset(name);
      expect(reset.initialState).toEqual(scenario.initialState);
      const { history } = await driveOverHttp(
        pools,
        fixture.url,
        'update-returning',
        scenario.ops(createRng(1)),
        20,
      );
      const okOps = history.filter((op) => op.outcome?.type === 'ok');
      expect(okOps.length).toBeGreaterThan(0);
      const ledger = (await fixture.server.labs.get('update-returning')?.store.readLedger()) ?? [];
      // One row per account of a transfer, per line of a basket, for the account a joint withdrawal
      // takes from, each with the server's op id.
      const rowsPerOk = okOps.map((op) => ledger.filter((row) => row.opId === op.id).length);
      const wanted = okOps.map((op) =>
        op.request.kind === 'basket' ? op.request.lines.length : op.request.kind === 'transfer' ? 2 : 1,
      );
      expect(rowsPerOk).toEqual(wanted);
      expectEveryCheckerPasses(scenario, await store.readState(), history, ledger);
    },
  );
});

describe('a real server stopped with requests in flight', () => {
  it('makes every one of them info, never fail', async () => {
    const hub = new ServiceHub();
    // The race window holds each withdrawal inside the lab, between its read and its write.
    const slow = await startServerFixture(['naive'], { LAB_RACE_WINDOW_MS: '2000' }, hub);
    const pools = new HttpPools();
    try {
      await new HttpLabStore(pools, { baseUrl: slow.url, lab: 'naive', adminToken: ADMIN_TOKEN }).reset(
        'withdraw-storm',
      );
      const session = openHttpSession(pools, { baseUrl: slow.url, lab: 'naive' });
      const inFlight = Array.from({ length: 5 }, (_, i) => session.withdraw(1, 2, hooks(`cut-${i}`)));
      const served = slow.server.labs.get('naive');
      while ((served?.history.ops.length ?? 0) < 5) await sleep(10);
      // Cuts the connections 50 ms into the shutdown, long before any withdrawal is done.
      await Promise.all([slow.server.close(50), ...inFlight]);
      const outcomes = await Promise.all(inFlight);
      expect(outcomes.map((o) => o.type)).toEqual(['info', 'info', 'info', 'info', 'info']);
      for (const outcome of outcomes)
        expect(outcome.type === 'info' && outcome.error).toMatch(/before its answer was complete/);
    } finally {
      await pools.close();
      await slow.server.close(50);
      await hub.close();
    }
  });
});

const toxiproxy = toxiproxyBinary();
const noToxiproxy = 'skipped: no Toxiproxy server (build it with scripts/toxiproxy.sh, or set LAB_TOXIPROXY)';

describe.skipIf(toxiproxy === undefined)(
  `an answer lost after its change took effect${toxiproxy === undefined ? ` (${noToxiproxy})` : ''}`,
  () => {
    it("is info to the client, and its ledger row, named by the op's key, shows it applied", async () => {
      const fixture = await startServerFixture(['update-returning']);
      const proxies = await startToxiproxy(toxiproxy);
      // Every answer from the server reaches the client 2 s late, long after the client gave up.
      const proxy = await proxies.proxy('lab-server', new URL(fixture.url).host);
      await proxy.addLatency(2_000);
      const pools = new HttpPools({ timeoutMs: 300 });
      try {
        const store = httpRunStore(pools, {
          urls: [fixture.url],
          lab: 'update-returning',
          scenario: 'withdraw-storm',
          adminToken: ADMIN_TOKEN,
        });
        await store.reset(scenarioNamed('withdraw-storm').initialState);
        const session = openHttpSession(pools, {
          baseUrl: `http://${proxy.listen}`,
          lab: 'update-returning',
        });
        const op: Op = {
          index: 0,
          id: 'http_lost-1',
          process: 0,
          request: { kind: 'withdraw', accountId: 1, amount: 7 },
          invokedAt: 0,
          retries: 0,
          conflicts: 0,
          waitedMs: 0,
          deadlocks: 0,
        };
        op.outcome = await session.withdraw(1, 7, opContextFor(op));
        expect(op.outcome.type).toBe('info');
        const ledger = await store.readLedger();
        expect(ledger.map((row) => row.opId)).toEqual(['http_lost-1']);
        expect(resolveUnknowns([op], ledger)).toEqual({
          unknown: 1,
          applied: 1,
          notApplied: 0,
          unresolved: 0,
        });
        expect(op.resolution).toBe('applied');
        expect(await store.readAccount(1)).toMatchObject({ balance: 10_000 - 7 });
      } finally {
        await pools.close();
        await proxies.stop();
        await fixture.close();
      }
    });
  },
);
