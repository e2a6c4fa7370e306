import { OP_KEY_HEADER } from '@concurrency-lab/harness';
import type { LabStore } from '@concurrency-lab/model';
import type { IRouter, Request, Response } from 'express';
import type { JsonBodyReader } from '../http/json-body.ts';
import { badRequest, send } from '../http/send-reply.ts';
import { replyForError, replyForOutcome } from '../outcome-response.ts';
import {
  parseAccountId,
  parseBasketBody,
  parseJointWithdrawalBody,
  parseOpKey,
  parseQuantityBody,
  parseSku,
  parseTransferBody,
  type Validated,
} from '../request-validation.ts';
import type { ChangeRequest, ServedLab } from '../served-lab.ts';
import { errorDetail, type ServerLog } from '../server-log.ts';
import { type ServedLabs, servedLabOr404 } from './route-context.ts';

export interface LabRoutesOptions {
  readonly labs: ServedLabs;
  readonly readJsonBody: JsonBodyReader;
  readonly log: ServerLog;
}

/**
 * Serves one change and answers with its outcome; details of a 5xx go to the log under the op id.
 * The request's op key (its header) is checked last, after the path and the body.
 */
const performChange = async (
  req: Request,
  res: Response,
  served: ServedLab,
  request: ChangeRequest,
  log: ServerLog,
): Promise<void> => {
  const key = parseOpKey(req.get(OP_KEY_HEADER));
  if (!key.ok) return badRequest(res, key.error);
  let opId: string | undefined;
  try {
    const performed = await served.perform(request, key.value);
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

/** How a route reads the key its path names (an account id, a sku), validated. */
type PathKey<K> = (req: Request) => Validated<K>;

const accountIdOf: PathKey<number> = (req) => parseAccountId(String(req.params.id));
const skuOf: PathKey<string> = (req) => parseSku(String(req.params.sku));

/** The served lab and the key the path names; undefined once it has answered 404 (lab) or 400 (key). */
const targetOr4xx = <K>(
  labs: ServedLabs,
  req: Request,
  res: Response,
  keyOf: PathKey<K>,
): { readonly served: ServedLab; readonly key: K } | undefined => {
  const served = servedLabOr404(labs, String(req.params.lab), res);
  if (!served) return undefined;
  const key = keyOf(req);
  if (!key.ok) {
    badRequest(res, key.error);
    return undefined;
  }
  return { served, key: key.value };
};

/**
 * The routes that change or read a lab's state:
 * - `POST /labs/:lab/accounts/:id/withdraw|deposit` `{ "amount": n }` and `POST /labs/:lab/items/:sku/reserve`
 *   `{ "qty": n }`: ok → 200 with the resulting value; refusals → 409/404; invalid input → 400 naming
 *   the field and what it accepts; a backing service down, or a lock or quorum unavailable → 503;
 *   anything else → 500 without details;
 * - `POST /labs/:lab/transfers` `{ "from", "to", "amount" }` and `POST /labs/:lab/baskets`
 *   `{ "items": [{ "sku", "qty" }, …] }`: the same, for an operation on several rows (all or nothing);
 * - `POST /labs/:lab/joint-withdrawals` `{ "account", "partner", "amount" }`: a withdrawal from `account`
 *   while its sum with `partner` stays at least 0 (write-skew), answered `{ "balance", "opId" }`;
 * - `GET /labs/:lab/accounts/:id`, `GET /labs/:lab/items/:sku`: the row, or 404 `not_found`.
 * Each checks the lab, then the path, then the body, so that a request is refused for the first thing
 * wrong with it, and never reaches a lab unless all of it is valid.
 */
export const addLabRoutes = (router: IRouter, { labs, readJsonBody, log }: LabRoutesOptions): void => {
  const changeRoute = <K>(
    path: string,
    keyOf: PathKey<K>,
    field: 'amount' | 'qty',
    request: (key: K, quantity: number) => ChangeRequest,
  ): void => {
    router.post(path, async (req, res) => {
      const target = targetOr4xx(labs, req, res, keyOf);
      if (!target) return;
      const body = await readJsonBody(req, res);
      if (!body.ok) return badRequest(res, body.error);
      const quantity = parseQuantityBody(body.value, field);
      if (!quantity.ok) return badRequest(res, quantity.error);
      await performChange(req, res, target.served, request(target.key, quantity.value), log);
    });
  };

  const readRoute = <K>(
    path: string,
    keyOf: PathKey<K>,
    read: (store: LabStore, key: K) => Promise<object | undefined>,
    noun: 'account' | 'item',
  ): void => {
    router.get(path, async (req, res) => {
      const target = targetOr4xx(labs, req, res, keyOf);
      if (!target) return;
      const row = await read(target.served.store, target.key);
      if (row) res.json(row);
      else
        send(res, {
          status: 404,
          body: { error: 'not_found', message: `${noun} ${target.key} does not exist` },
        });
    });
  };

  /** A change that names its rows in the body, not the path (a transfer, a basket). */
  const multiRowRoute = <B>(
    path: string,
    parse: (body: unknown) => Validated<B>,
    request: (body: B) => ChangeRequest,
  ): void => {
    router.post(path, async (req, res) => {
      const served = servedLabOr404(labs, String(req.params.lab), res);
      if (!served) return;
      const body = await readJsonBody(req, res);
      if (!body.ok) return badRequest(res, body.error);
      const parsed = parse(body.value);
      if (!parsed.ok) return badRequest(res, parsed.error);
      await performChange(req, res, served, request(parsed.value), log);
    });
  };

  for (const kind of ['withdraw', 'deposit'] as const) {
    changeRoute(`/labs/:lab/accounts/:id/${kind}`, accountIdOf, 'amount', (accountId, amount) => ({
      kind,
      accountId,
      amount,
    }));
  }
  changeRoute('/labs/:lab/items/:sku/reserve', skuOf, 'qty', (sku, qty) => ({ kind: 'reserve', sku, qty }));
  multiRowRoute('/labs/:lab/transfers', parseTransferBody, ({ from, to, amount }) => ({
    kind: 'transfer',
    from,
    to,
    amount,
  }));
  multiRowRoute('/labs/:lab/joint-withdrawals', parseJointWithdrawalBody, ({ account, partner, amount }) => ({
    kind: 'withdraw-joint',
    accountId: account,
    partnerId: partner,
    amount,
  }));
  multiRowRoute('/labs/:lab/baskets', parseBasketBody, (lines) => ({ kind: 'basket', lines }));
  readRoute('/labs/:lab/accounts/:id', accountIdOf, (store, id) => store.readAccount(id), 'account');
  readRoute('/labs/:lab/items/:sku', skuOf, (store, sku) => store.readItem(sku), 'item');
};
