import { isScenarioName, scenarioNamed } from '@concurrency-lab/harness';
import { expectationFor, SCENARIO_NAMES } from '@concurrency-lab/model';
import type { IRouter } from 'express';
import { z } from 'zod';
import { adminAuth } from '../http/admin-auth.ts';
import type { JsonBodyReader } from '../http/json-body.ts';
import { badRequest, send } from '../http/send-reply.ts';
import { replyForError } from '../outcome-response.ts';
import { quoted } from '../request-validation.ts';
import { errorDetail, type ServerLog } from '../server-log.ts';
import { type ReplicaIdentity, type ServedLabs, servedLabOr404 } from './route-context.ts';

export interface AdminRoutesOptions {
  readonly labs: ServedLabs;
  /** Enables the admin routes and is then required by them; undefined disables them (403). */
  readonly adminToken: string | undefined;
  readonly replica: ReplicaIdentity;
  readonly readJsonBody: JsonBodyReader;
  readonly log: ServerLog;
}

const resetBody = z.strictObject({
  scenario: z.string({ error: `scenario is required: one of ${SCENARIO_NAMES.join(', ')}` }),
  lab: z.string().optional(),
});

/**
 * `POST /admin/reset` `{ "scenario": name, "lab"?: name }`: seeds the scenario's initial state in
 * every served lab that supports it (or in the one named) and clears this replica's history of it.
 * Behind adminAuth: 403 unless an admin token is configured, then 401 without it.
 */
export const addAdminRoutes = (
  router: IRouter,
  { labs, adminToken, replica, readJsonBody, log }: AdminRoutesOptions,
): void => {
  router.post('/admin/reset', adminAuth(adminToken, 'POST /admin/reset'), async (req, res) => {
    const body = await readJsonBody(req, res);
    if (!body.ok) return badRequest(res, body.error);
    const parsed = resetBody.safeParse(body.value ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return badRequest(res, {
        field:
          issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? 'body') : String(issue?.path[0] ?? 'body'),
        message: issue?.message ?? 'invalid body',
        accepted: '{"scenario": <name>, "lab"?: <name>}',
      });
    }
    const { scenario: name, lab } = parsed.data;
    if (!isScenarioName(name)) {
      return badRequest(res, {
        field: 'scenario',
        message: `unknown scenario ${quoted(name)}`,
        accepted: SCENARIO_NAMES.join(', '),
      });
    }
    const only = lab === undefined ? undefined : servedLabOr404(labs, lab, res);
    if (lab !== undefined && !only) return;
    const targets = only ? [only] : [...labs.values()];
    const supported = targets.filter((served) =>
      expectationFor(served.lab, name, { options: served.context.options, replicas: replica.of }),
    );
    if (only && supported.length === 0) {
      return badRequest(res, {
        field: 'scenario',
        message: `lab ${lab} does not support scenario ${name}`,
        accepted: Object.keys(only.lab.expect).join(', '),
      });
    }
    const scenario = scenarioNamed(name);
    try {
      await Promise.all(supported.map((served) => served.reset(scenario)));
    } catch (error) {
      log(`reset to ${name}: ${errorDetail(error)}`);
      send(res, replyForError(error, undefined));
      return;
    }
    res.json({
      scenario: name,
      labs: supported.map((served) => served.lab.name),
      replica,
      initialState: scenario.initialState,
      expected: scenario.expected,
    });
  });
};
