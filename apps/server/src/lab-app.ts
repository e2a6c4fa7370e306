import { createHash, timingSafeEqual } from 'node:crypto';
import { checkWithLedger, computeStats, isScenarioName, scenarioNamed } from '@concurrency-lab/harness';
import { expectationFor, SCENARIO_NAMES, type ScenarioName, verdictMatches } from '@concurrency-lab/model';
import express, {
  type ErrorRequestHandler,
  type Express,
  type NextFunction,
  type Request,
  type Response,
} from 'express';
import { z } from 'zod';
import { type HttpReply, replyForError, replyForOutcome } from './outcome-response.ts';
import {
  describeInput,
  type InvalidInput,
  parseAccountId,
  parseQuantityBody,
  parseSku,
  quoted,
} from './request-validation.ts';
import type { ChangeRequest, ServedLab } from './served-lab.ts';

export interface LabAppOptions {
  /** The labs this replica serves, by name. */
  readonly labs: ReadonlyMap<string, ServedLab>;
  /** Enables POST /admin/reset and is then required by it; undefined disables it. */
  readonly adminToken: string | undefined;
  /** How many replicas serve the same state; see checkWithLedger in the harness. */
  readonly replicas: number;
  readonly replicaId: string;
  readonly replicaIndex: number;
  readonly bodyLimitBytes: number;
  /** Where details of unexpected errors go (never to the client). Default: stderr. */
  readonly log?: (line: string) => void;
  /** True once the server is shutting down: responses then close their connection. */
  readonly closing?: () => boolean;
}

const send = (res: Response, reply: HttpReply): void => {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  res.status(reply.status).json(reply.body);
};

const badRequest = (res: Response, invalid: InvalidInput): void =>
  send(res, { status: 400, body: { error: 'invalid_request', ...invalid } });

/** A bearer token compared in constant time (hashing first makes the lengths equal). */
const tokenMatches = (given: string, expected: string): boolean =>
  timingSafeEqual(
    createHash('sha256').update(given).digest(),
    createHash('sha256').update(expected).digest(),
  );

const resetBody = z.strictObject({
  scenario: z.string({ error: `scenario is required: one of ${SCENARIO_NAMES.join(', ')}` }),
  lab: z.string().optional(),
});

/**
 * The HTTP face of the labs (JSON in, JSON out). Routes:
 * - `GET /health`, `GET /labs`;
 * - `POST /labs/:lab/accounts/:id/withdraw|deposit` `{ "amount": n }`, `POST /labs/:lab/items/:sku/reserve`
 *   `{ "qty": n }`: ok → 200 with the resulting value; refusals → 409/404; invalid input → 400 naming
 *   the field and what it accepts; a backing service down, or a lock or quorum unavailable → 503;
 *   anything else → 500 without details;
 * - `GET /labs/:lab/accounts/:id`, `GET /labs/:lab/items/:sku`;
 * - `GET /labs/:lab/check[?scenario=<name>][&history=ledger]`: the harness checkers on the current state
 *   and ledger (see checkWithLedger in the harness);
 * - `POST /admin/reset` `{ "scenario": name, "lab"?: name }`: 403 unless an admin token is configured,
 *   then 401 without `Authorization: Bearer <token>`.
 */
export const createLabApp = (options: LabAppOptions): Express => {
  const { labs, adminToken, replicas } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const replica = { id: options.replicaId, index: options.replicaIndex, of: replicas };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  app.use((_req, res, next) => {
    // While shutting down, finish this request but let the client reconnect elsewhere.
    if (options.closing?.()) res.setHeader('Connection', 'close');
    next();
  });

  // Only JSON, only small bodies: a request for one change never needs more.
  const parseJson = express.json({ limit: options.bodyLimitBytes, strict: true, type: 'application/json' });
  /**
   * Reads the JSON body, then calls `handle`; refuses any other content type. A body-parser error
   * (malformed JSON, too large) and anything `handle` throws go to the error handler.
   */
  const withJsonBody = (
    req: Request,
    res: Response,
    next: NextFunction,
    handle: () => Promise<void>,
  ): void => {
    // An empty body is a missing body whatever its content type says (body-parser would make it {}).
    if (req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined) {
      req.body = undefined;
      handle().catch(next);
      return;
    }
    if (req.is('application/json') === false) {
      badRequest(res, {
        field: 'content-type',
        message: `Content-Type must be application/json; got ${quoted(req.headers['content-type'] ?? '')}`,
        accepted: 'application/json',
      });
      return;
    }
    parseJson(req, res, (error?: unknown) => {
      if (error) next(error);
      else handle().catch(next);
    });
  };

  const servedLab = (req: Request, res: Response): ServedLab | undefined => {
    const name = String(req.params.lab);
    const served = labs.get(name);
    if (!served) {
      send(res, {
        status: 404,
        body: {
          error: 'unknown_lab',
          message: `no lab ${quoted(name)} is served here; served labs: ${[...labs.keys()].join(', ')}`,
        },
      });
    }
    return served;
  };

  const change = async (res: Response, served: ServedLab, request: ChangeRequest): Promise<void> => {
    let opId: string | undefined;
    try {
      const performed = await served.perform(request);
      opId = performed.opId;
      const reply = replyForOutcome(performed.outcome, request, performed.opId, performed.error);
      if (reply.status >= 500 && performed.error)
        log(`op ${performed.opId} (${served.lab.name}): ${errorDetail(performed.error)}`);
      send(res, reply);
    } catch (error) {
      log(`${served.lab.name} ${JSON.stringify(request)}: ${errorDetail(error)}`);
      send(res, replyForError(error, opId));
    }
  };

  app.get('/health', (_req, res) => {
    res.json({ status: 'ok', replica, labs: [...labs.keys()] });
  });

  app.get('/labs', (_req, res) => {
    res.json({
      replica,
      labs: [...labs.values()].map(({ lab, context }) => ({
        name: lab.name,
        title: lab.title,
        summary: lab.summary,
        needs: lab.needs,
        options: context.options,
        expect: Object.fromEntries(
          SCENARIO_NAMES.flatMap((scenario) => {
            const expectation = expectationFor(lab, scenario, { options: context.options, replicas });
            return expectation ? [[scenario, expectation]] : [];
          }),
        ),
      })),
    });
  });

  for (const kind of ['withdraw', 'deposit'] as const) {
    app.post(`/labs/:lab/accounts/:id/${kind}`, (req, res, next) => {
      const served = servedLab(req, res);
      if (!served) return;
      const id = parseAccountId(String(req.params.id));
      if (!id.ok) return badRequest(res, id.error);
      withJsonBody(req, res, next, async () => {
        const amount = parseQuantityBody(req.body, 'amount');
        if (!amount.ok) return badRequest(res, amount.error);
        await change(res, served, { kind, accountId: id.value, amount: amount.value });
      });
    });
  }

  app.post('/labs/:lab/items/:sku/reserve', (req, res, next) => {
    const served = servedLab(req, res);
    if (!served) return;
    const sku = parseSku(String(req.params.sku));
    if (!sku.ok) return badRequest(res, sku.error);
    withJsonBody(req, res, next, async () => {
      const qty = parseQuantityBody(req.body, 'qty');
      if (!qty.ok) return badRequest(res, qty.error);
      await change(res, served, { kind: 'reserve', sku: sku.value, qty: qty.value });
    });
  });

  app.get('/labs/:lab/accounts/:id', async (req, res) => {
    const served = servedLab(req, res);
    if (!served) return;
    const id = parseAccountId(String(req.params.id));
    if (!id.ok) return badRequest(res, id.error);
    const account = await served.store.readAccount(id.value);
    if (!account) {
      send(res, { status: 404, body: { error: 'not_found', message: `account ${id.value} does not exist` } });
      return;
    }
    res.json(account);
  });

  app.get('/labs/:lab/items/:sku', async (req, res) => {
    const served = servedLab(req, res);
    if (!served) return;
    const sku = parseSku(String(req.params.sku));
    if (!sku.ok) return badRequest(res, sku.error);
    const item = await served.store.readItem(sku.value);
    if (!item) {
      send(res, { status: 404, body: { error: 'not_found', message: `item ${sku.value} does not exist` } });
      return;
    }
    res.json(item);
  });

  app.get('/labs/:lab/check', async (req, res) => {
    const served = servedLab(req, res);
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
    const { verdict, coverage } = checkWithLedger({ scenario, final, ledger, local, replicas });
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
      expected: scenario.expected,
      initialState: scenario.initialState,
      finalState: final,
      contention,
    });
  });

  app.post('/admin/reset', (req, res, next) => {
    if (adminToken === undefined) {
      send(res, {
        status: 403,
        body: {
          error: 'admin_disabled',
          message: 'admin routes are disabled: start the server with LAB_ADMIN_TOKEN set',
        },
      });
      return;
    }
    const header = req.headers.authorization ?? '';
    const given = header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
    if (given === undefined || !tokenMatches(given, adminToken)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      send(res, {
        status: 401,
        body: {
          error: 'unauthorized',
          message: 'POST /admin/reset needs "Authorization: Bearer <LAB_ADMIN_TOKEN>"',
        },
      });
      return;
    }
    withJsonBody(req, res, next, async () => {
      const parsed = resetBody.safeParse(req.body ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return badRequest(res, {
          field:
            issue?.code === 'unrecognized_keys'
              ? (issue.keys[0] ?? 'body')
              : String(issue?.path[0] ?? 'body'),
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
      if (lab !== undefined && !labs.has(lab)) {
        send(res, {
          status: 404,
          body: {
            error: 'unknown_lab',
            message: `no lab ${quoted(lab)} is served here; served labs: ${[...labs.keys()].join(', ')}`,
          },
        });
        return;
      }
      const targets = lab === undefined ? [...labs.values()] : [labs.get(lab) as ServedLab];
      const supported = targets.filter((served) =>
        expectationFor(served.lab, name, { options: served.context.options, replicas }),
      );
      if (lab !== undefined && supported.length === 0) {
        return badRequest(res, {
          field: 'scenario',
          message: `lab ${lab} does not support scenario ${name}`,
          accepted: Object.keys(targets[0]?.lab.expect ?? {}).join(', '),
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
  });

  app.use((req, res) => {
    send(res, {
      status: 404,
      body: {
        error: 'no_route',
        message: `no route ${req.method} ${req.path.slice(0, 100)}; see GET /labs for the labs and the README of apps/server for the routes`,
      },
    });
  });

  const onError: ErrorRequestHandler = (error, _req, res, _next) => {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.parse.failed') {
      return badRequest(res, {
        field: 'body',
        message: `the body is not valid JSON: ${String((error as Error).message).slice(0, 120)}`,
        accepted: 'a JSON object',
      });
    }
    if (type === 'entity.too.large') {
      return badRequest(res, {
        field: 'body',
        message: `the body is larger than ${options.bodyLimitBytes} bytes`,
        accepted: `a JSON object of at most ${options.bodyLimitBytes} bytes`,
      });
    }
    if (
      type === 'encoding.unsupported' ||
      type === 'charset.unsupported' ||
      type === 'request.size.invalid'
    ) {
      return badRequest(res, {
        field: 'body',
        message: String((error as Error).message).slice(0, 120),
        accepted: 'a UTF-8 JSON object',
      });
    }
    log(`unhandled: ${errorDetail(error)}`);
    if (res.headersSent) return;
    send(res, replyForError(error, undefined));
  };
  app.use(onError);
  return app;
};

/** The full error, with its stack, for the server's log only. */
const errorDetail = (error: unknown): string =>
  error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
