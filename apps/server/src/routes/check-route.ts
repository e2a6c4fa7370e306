import { checkWithLedger, computeStats, isScenarioName, scenarioNamed } from '@concurrency-lab/harness';
import { expectationFor, SCENARIO_NAMES, type ScenarioName, verdictMatches } from '@concurrency-lab/model';
import type { IRouter } from 'express';
import { badRequest } from '../http/send-reply.ts';
import { describeInput } from '../request-validation.ts';
import { type ReplicaIdentity, type ServedLabs, servedLabOr404 } from './route-context.ts';

export interface CheckRouteOptions {
  readonly labs: ServedLabs;
  readonly replica: ReplicaIdentity;
}

/**
 * `GET /labs/:lab/check[?scenario=<name>][&history=ledger]`: the harness checkers on the current
 * state and ledger, with this replica's own operations unless asked for the ledger alone (see
 * checkWithLedger in the harness).
 */
export const addCheckRoute = (router: IRouter, { labs, replica }: CheckRouteOptions): void => {
  const replicas = replica.of;
  router.get('/labs/:lab/check', async (req, res) => {
    const served = servedLabOr404(labs, String(req.params.lab), res);
    if (!served) return;
    const asked = req.query.scenario;
    if (asked !== undefined && (typeof asked !== 'string' || !isScenarioName(asked))) {
      return badRequest(res, {
        field: 'scenario',
        message: `unknown scenario ${describeInput(asked)}`,
        accepted: SCENARIO_NAMES.join(', '),
      });
    }
    const history = req.query.history ?? 'local';
    if (history !== 'local' && history !== 'ledger') {
      return badRequest(res, {
        field: 'history',
        message: `history must be "local" (this replica's ops plus the ledger) or "ledger" (the ledger alone); got ${describeInput(history)}`,
        accepted: 'local, ledger',
      });
    }
    const scenario = asked ? scenarioNamed(asked as ScenarioName) : served.scenario;
    if (!scenario) {
      return badRequest(res, {
        field: 'scenario',
        message:
          'this replica has not been reset to a scenario: pass ?scenario=<name> (or POST /admin/reset first)',
        accepted: SCENARIO_NAMES.join(', '),
      });
    }
    const [final, ledger] = await Promise.all([served.store.readState(), served.store.readLedger()]);
    // A truncated history would be taken for missing ops: check from the ledger alone then.
    const local = history === 'ledger' || served.history.truncated ? undefined : served.history.ops;
    const { verdict, coverage, unknownOutcomes } = checkWithLedger({
      scenario,
      final,
      ledger,
      local,
      replicas,
    });
    const expectation = expectationFor(served.lab, scenario.name, {
      options: served.context.options,
      replicas,
    });
    const { conflicts, retries, lockWaitMs } = computeStats(served.history.ops, 0).contention;
    const contention = { conflicts, retries, lockWaitMs };
    res.json({
      lab: served.lab.name,
      scenario: scenario.name,
      replica,
      valid: verdict.valid,
      violations: verdict.violations,
      expectation: expectation ?? null,
      matchesExpectation: expectation === undefined ? null : verdictMatches(expectation, verdict.valid),
      coverage: { ...coverage, historyTruncated: served.history.truncated },
      unknownOutcomes,
      expected: scenario.expected,
      initialState: scenario.initialState,
      finalState: final,
      contention,
    });
  });
};
