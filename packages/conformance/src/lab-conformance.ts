import { parseFaults, type RunResult, SCENARIOS, withdrawStorm } from '@concurrency-lab/harness';
import {
  type Expectation,
  expectationFor,
  expectationRulesOf,
  expectationsFor,
  type Lab,
  type LabOptionValue,
  MAX_VALUE,
  type OpContext,
  openSession,
  resolveLabOptions,
  SCENARIO_NAMES,
  type ScenarioName,
  type State,
  unsupportedReason,
} from '@concurrency-lab/model';
import { FAULTS, faultTargetProblem, runLab, ServiceHub, toxiproxyBinary } from '@concurrency-lab/services';
import { afterAll, describe, expect, it } from 'vitest';

/** `name[:arg]` as the rules read a fault. */
const faultOf = (text: string) => {
  const colon = text.indexOf(':');
  return colon < 0 ? { name: text } : { name: text.slice(0, colon), arg: text.slice(colon + 1) };
};

/** The lab once with its defaults, plus once per choice of an option that changes expectations. */
const variantsOf = (lab: Lab): Array<Record<string, LabOptionValue>> => {
  const variants: Array<Record<string, LabOptionValue>> = [{}];
  for (const [name, spec] of Object.entries(lab.options ?? {})) {
    if (spec.kind !== 'choice' || !spec.expect) continue;
    for (const choice of spec.choices) if (choice !== spec.default) variants.push({ [name]: choice });
  }
  return variants;
};

// Unsafe claims are shown with the race widened, so they fail in every run rather than by luck;
// safe claims must hold even so, except for the full-size storm, which runs as fast as it can.
const raceWindowFor = (name: ScenarioName, expectation: Expectation) =>
  expectation === 'unsafe' ? 5 : name === 'withdraw-storm' ? 0 : 1;

const describeRun = (r: RunResult) =>
  `${r.lab} ${JSON.stringify(r.options)} on ${r.scenario}: valid=${r.verdict.valid} counts=${JSON.stringify(r.counts)} ` +
  `violations=${JSON.stringify(r.verdict.violations.map((v) => `${v.kind}×${v.count}: ${v.example}`))}`;

const opContext = (id: string): OpContext => ({
  id,
  raceWindow: async () => {},
  conflict: () => {},
  retry: () => {},
  waited: () => {},
  deadlock: () => {},
});

const INVALID = [0, -2, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '5' as unknown as number];
const INITIAL: State = {
  accounts: withdrawStorm().initialState.accounts,
  items: [{ sku: 'sku-a', available: 10, reserved: 0, version: 0 }],
};
// For the multi-row refusals: account 2 cannot pay 10, sku-b is sold out, 99 and sku-zzz do not exist.
const MULTI: State = {
  accounts: [
    { id: 1, balance: 100, version: 0 },
    { id: 2, balance: 5, version: 0 },
  ],
  items: [
    { sku: 'sku-a', available: 10, reserved: 0, version: 0 },
    { sku: 'sku-b', available: 0, reserved: 3, version: 0 },
  ],
};

/** One account a deposit away from the largest value kept. */
const NEAR_LIMIT: State = { accounts: [{ id: 1, balance: MAX_VALUE - 1, version: 0 }], items: [] };

/**
 * Holds `lab` to its claims, as kysely runs one suite over every dialect: on every scenario it
 * supports (at the size its builder gives for the claim), with each option choice that changes the
 * claim, it must be exactly as safe or unsafe as it declares; bad input must change nothing; and no
 * balance may pass MAX_VALUE (the model's one range) or be kept rounded.
 */
export const describeLabConformance = (lab: Lab): void => {
  describe(`${lab.name} conformance`, () => {
    const hub = new ServiceHub();
    afterAll(() => hub.close());

    for (const given of variantsOf(lab)) {
      const options = resolveLabOptions(lab, given);
      const label = [lab.name, ...Object.entries(given).map(([k, v]) => `--${k} ${v}`)].join(' ');
      describe(label, () => {
        const table = expectationsFor(lab, options);
        for (const name of SCENARIO_NAMES) {
          const expectation = table[name];
          if (!expectation) {
            // Declared, never silent: the lab says why it cannot run the scenario.
            it.skip(`${name}: skipped: ${unsupportedReason(lab, name, options)}`, () => {});
            continue;
          }
          it(`is ${expectation} on ${name}`, async () => {
            const definition = SCENARIOS[name];
            const scenario = definition.sizedFor(expectation);
            const result = await runLab(hub, {
              lab,
              scenario,
              options,
              raceWindowMs: raceWindowFor(name, expectation),
              // Where the race window alone leaves the anomaly to timing, the scenario makes it certain.
              nemeses:
                expectation === 'unsafe'
                  ? (definition.certainAnomaly?.(scenario.defaultConcurrency) ?? [])
                  : [],
            });
            if (expectation === 'unsafe') {
              expect(result.verdict.valid, describeRun(result)).toBe(false);
              expect(result.verdict.violations.length, describeRun(result)).toBeGreaterThan(0);
            } else {
              expect(result.verdict, describeRun(result)).toMatchObject({ valid: true, violations: [] });
              // The exact outcome, spelled out: e.g. 5000 ok and 5000 insufficient_funds.
              const { ok, fail } = scenario.expected;
              if (ok !== undefined) expect(result.counts.ok).toBe(ok);
              for (const [reason, count] of Object.entries(fail ?? {})) {
                expect(result.counts.fail[reason as keyof typeof result.counts.fail] ?? 0).toBe(count);
              }
              expect(result.counts.info).toBe(0);
            }
            expect(result.matchesExpectation).toBe(true);
          });
        }
      });
    }

    // Each rule that changes the lab's verdict (a short lease, a fault without fencing), played on
    // its own demonstration and held to what expectationFor says: the function every run asks. A
    // demonstration that needs what this suite does not have (app replicas, redis-server nodes of its
    // own) is played by the test it names instead (demo.elsewhere, faults.test.ts), not listed here;
    // one that needs a Toxiproxy binary the machine lacks is skipped by name.
    const plays = expectationRulesOf(lab).flatMap((rule) => {
      const demo = rule.shownBy;
      if (!demo || demo.elsewhere !== undefined) return [];
      const variants = [
        { label: 'as the rule says', given: demo.options ?? {} },
        ...(demo.fixedBy ? [{ label: 'fixed', given: { ...demo.options, ...demo.fixedBy } }] : []),
      ];
      return variants.flatMap(({ label, given }) => {
        const options = resolveLabOptions(lab, given);
        const faults = parseFaults(demo.faults ?? [], FAULTS, lab, options);
        if (faultTargetProblem(lab, faults) !== undefined) return [];
        const conditions = {
          options,
          replicas: demo.replicas ?? 1,
          raceWindowMs: demo.raceWindowMs ?? 0,
          faults: demo.faults?.map(faultOf) ?? [],
        };
        const expectation = expectationFor(lab, demo.scenario, conditions);
        const title = `${label}: ${expectation} on ${demo.scenario} with ${JSON.stringify(given)}${demo.raceWindowMs ? `, race window ${demo.raceWindowMs} ms` : ''}${demo.faults ? `, --fault ${demo.faults.join(' ')}` : ''} (${rule.why})`;
        const noProxy =
          faults.some((fault) => fault.definition.target === 'network') && toxiproxyBinary() === undefined;
        return [{ rule, demo, label, options, faults, expectation, title, noProxy }];
      });
    });
    if (plays.length > 0)
      describe(`${lab.name} expectation rules`, () => {
        for (const { rule, demo, label, options, faults, expectation, title, noProxy } of plays) {
          if (noProxy) {
            it.skip(`${title}: skipped: no Toxiproxy server on this machine (scripts/toxiproxy.sh builds it; scripts/with-tools runs it)`, () => {});
            continue;
          }
          it(title, async () => {
            if (label !== 'fixed') expect(expectation).toBe(rule.expect);
            const result = await runLab(hub, {
              lab,
              scenario: SCENARIOS[demo.scenario].scaled(demo.ops),
              options,
              ...(demo.concurrency === undefined ? {} : { concurrency: demo.concurrency }),
              raceWindowMs: demo.raceWindowMs ?? 0,
              faults,
            });
            expect(result.expectation, describeRun(result)).toBe(expectation);
            expect(result.verdict.valid, describeRun(result)).toBe(expectation === 'safe');
            expect(result.matchesExpectation, describeRun(result)).toBe(true);
          });
        }
      });

    it('answers invalid_amount with what is accepted for a bad amount, and changes nothing', async () => {
      const prepared = await hub.prepare(lab, { options: resolveLabOptions(lab, {}) });
      try {
        const store = lab.store(prepared.context);
        await store.reset(INITIAL);
        const session = await openSession(lab, prepared.context);
        for (const [i, amount] of INVALID.entries()) {
          for (const outcome of [
            await session.withdraw(1, amount, opContext(`w${i}`)),
            await session.deposit(1, amount, opContext(`d${i}`)),
            await session.reserve('sku-a', amount, opContext(`r${i}`)),
          ]) {
            expect(outcome).toMatchObject({ type: 'fail', reason: 'invalid_amount' });
            expect(outcome.type === 'fail' && outcome.message).toMatch(/must be a positive safe integer/);
          }
        }
        await session.close();
        expect(await store.readState()).toMatchObject({
          accounts: [{ id: 1, balance: 10_000 }],
          items: [{ sku: 'sku-a', available: 10, reserved: 0 }],
        });
        expect(await store.readLedger()).toEqual([]);
      } finally {
        await prepared.release();
      }
    });

    it('refuses a deposit past the largest value kept (limit_exceeded, nothing written) and keeps one up to it exactly', async () => {
      const prepared = await hub.prepare(lab, { options: resolveLabOptions(lab, {}) });
      try {
        const store = lab.store(prepared.context);
        await store.reset(NEAR_LIMIT);
        const session = await openSession(lab, prepared.context);
        for (const [i, amount] of [2, MAX_VALUE].entries()) {
          expect(await session.deposit(1, amount, opContext(`over${i}`))).toMatchObject({
            type: 'fail',
            reason: 'limit_exceeded',
          });
        }
        expect(await store.readAccount(1)).toMatchObject({ balance: MAX_VALUE - 1 });
        expect(await store.readLedger()).toEqual([]);
        // Exactly up to the limit: the answer, the state and the ledger all hold 2^53 - 1, not 2^53.
        expect(await session.deposit(1, 1, opContext('up-to'))).toEqual({ type: 'ok', value: MAX_VALUE });
        await session.close();
        expect(await store.readAccount(1)).toMatchObject({ balance: MAX_VALUE });
        expect(await store.readLedger()).toEqual([
          expect.objectContaining({ opId: 'up-to', delta: 1, resultingValue: MAX_VALUE }),
        ]);
      } finally {
        await prepared.release();
      }
    });

    const jointReason = unsupportedReason(lab, 'write-skew');
    it.skipIf(jointReason !== undefined)(
      `answers a joint withdrawal by the pair's sum: refusals change nothing, an ok one may take an account below 0${jointReason ? ` (skipped: ${jointReason})` : ''}`,
      async () => {
        const prepared = await hub.prepare(lab, { options: resolveLabOptions(lab, {}) });
        try {
          const store = lab.store(prepared.context);
          await store.reset(MULTI);
          const session = await openSession(lab, prepared.context);
          expect(await session.withdrawJoint(2, 1, 106, opContext('j1'))).toMatchObject({
            type: 'fail',
            reason: 'insufficient_funds',
          });
          expect(await session.withdrawJoint(1, 99, 1, opContext('j2'))).toMatchObject({
            type: 'fail',
            reason: 'not_found',
          });
          expect(await session.withdrawJoint(1, 1, 1, opContext('j3'))).toMatchObject({
            type: 'fail',
            reason: 'invalid_request',
          });
          expect(await store.readLedger()).toEqual([]);
          // 5 + 100 cover 105: account 2 ends at -100, its partner untouched.
          expect(await session.withdrawJoint(2, 1, 105, opContext('j4'))).toEqual({
            type: 'ok',
            value: -100,
          });
          await session.close();
          expect(await store.readState()).toMatchObject({
            accounts: [
              { id: 1, balance: 100 },
              { id: 2, balance: -100 },
            ],
          });
          expect(await store.readLedger()).toEqual([
            expect.objectContaining({ opId: 'j4', subject: 'account:2', delta: -105, resultingValue: -100 }),
          ]);
        } finally {
          await prepared.release();
        }
      },
    );

    it('applies a transfer or a basket all or nothing: a refusal on any row changes none', async () => {
      const prepared = await hub.prepare(lab, { options: resolveLabOptions(lab, {}) });
      try {
        const store = lab.store(prepared.context);
        await store.reset(MULTI);
        const session = await openSession(lab, prepared.context);
        // In id order the row that refuses comes second: the first was already changed, and undone.
        const refusals = [
          [
            await session.basket(
              [
                { sku: 'sku-a', qty: 1 },
                { sku: 'sku-b', qty: 1 },
              ],
              opContext('b1'),
            ),
            'out_of_stock',
          ],
          [
            await session.basket(
              [
                { sku: 'sku-a', qty: 2 },
                { sku: 'sku-zzz', qty: 1 },
              ],
              opContext('b2'),
            ),
            'not_found',
          ],
          [await session.transfer(2, 1, 10, opContext('t1')), 'insufficient_funds'],
          [await session.transfer(1, 99, 10, opContext('t2')), 'not_found'],
          [await session.transfer(1, 1, 10, opContext('t3')), 'invalid_request'],
          [await session.basket([], opContext('b3')), 'invalid_request'],
          [
            await session.basket(
              [
                { sku: 'sku-a', qty: 1 },
                { sku: 'sku-a', qty: 1 },
              ],
              opContext('b4'),
            ),
            'invalid_request',
          ],
          [await session.basket([{ sku: 'sku-a', qty: 0 }], opContext('b5')), 'invalid_amount'],
        ] as const;
        for (const [outcome, reason] of refusals) expect(outcome).toMatchObject({ type: 'fail', reason });
        expect(await store.readState()).toMatchObject({
          accounts: [
            { id: 1, balance: 100 },
            { id: 2, balance: 5 },
          ],
          items: [
            { sku: 'sku-a', available: 10, reserved: 0 },
            { sku: 'sku-b', available: 0, reserved: 3 },
          ],
        });
        expect(await store.readLedger()).toEqual([]);

        // What an ok one answers, and one ledger row per subject it changed, all with its op id.
        expect(await session.transfer(1, 2, 30, opContext('t4'))).toEqual({
          type: 'ok',
          value: { from: 70, to: 35 },
        });
        expect(await session.basket([{ sku: 'sku-a', qty: 2 }], opContext('b6'))).toEqual({
          type: 'ok',
          value: [{ sku: 'sku-a', available: 8, reserved: 2 }],
        });
        await session.close();
        const rows = (await store.readLedger()).map(({ opId, subject, kind, delta, resultingValue }) => ({
          opId,
          subject,
          kind,
          delta,
          resultingValue,
        }));
        expect(rows).toEqual(
          expect.arrayContaining([
            { opId: 't4', subject: 'account:1', kind: 'transfer', delta: -30, resultingValue: 70 },
            { opId: 't4', subject: 'account:2', kind: 'transfer', delta: 30, resultingValue: 35 },
            { opId: 'b6', subject: 'item:sku-a', kind: 'basket', delta: -2, resultingValue: 8 },
          ]),
        );
        expect(rows).toHaveLength(3);
      } finally {
        await prepared.release();
      }
    });
  });
};
