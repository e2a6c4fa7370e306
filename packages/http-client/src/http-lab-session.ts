import {
  info,
  type LabSession,
  type OpContext,
  type Outcome,
  rejectInvalidAmount,
  rejectInvalidBasket,
  rejectInvalidJoint,
  rejectInvalidTransfer,
} from '@concurrency-lab/model';
import {
  type AnswerShape,
  BALANCE_ANSWER,
  basketAnswer,
  JOINT_ANSWER,
  outcomeOfAnswer,
  RESERVATION_ANSWER,
  serverOpIdOf,
  TRANSFER_ANSWER,
} from './answer-outcome.ts';
import { type HttpPools, type HttpRequest, HttpTransportError, parseBaseUrl } from './http-pools.ts';

/**
 * One operation as it went over the wire, beside the outcome it was mapped to. The model's
 * Outcome has no place for the server's op id, so it is handed out here: the ledger row of a
 * change carries the server's id, not the harness's.
 */
export interface HttpExchange {
  /** The harness's id of the operation (OpContext.id). */
  readonly opId: string;
  /** The id the server gave it; undefined when no answer named one (no answer, a 404 for an unknown lab, …). */
  readonly serverOpId: string | undefined;
  /** The base URL of the server that was asked. */
  readonly baseUrl: string;
  /** The answer's status; undefined when no complete answer arrived. */
  readonly status: number | undefined;
  readonly outcome: Outcome<unknown>;
}

export interface HttpSessionOptions {
  /** The running server, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  /** The served lab to drive (a name from its `GET /labs`). */
  readonly lab: string;
  /** Called once per operation that was sent, after its outcome is known. */
  readonly onExchange?: (exchange: HttpExchange) => void;
}

/**
 * A LabSession whose operations are requests to a running server, made as the server's routes
 * take them, over the shared pools. Amounts the model refuses fail `invalid_amount` before any
 * request, as in process (and malformed transfers, joint withdrawals and baskets `invalid_request`). The strategy's race window, retries and lock waits happen in the server
 * (its LAB_RACE_WINDOW_MS, its own counts): the OpContext hooks are not called from here. The
 * session keeps no state between operations, so it may also serve several callers at once. Closing
 * it leaves the pools open; their owner closes them.
 */
export const openHttpSession = (pools: HttpPools, options: HttpSessionOptions): LabSession => {
  const base = parseBaseUrl(options.baseUrl);
  const lab = encodeURIComponent(options.lab);

  const perform = async <V>(
    request: HttpRequest,
    shape: AnswerShape<V>,
    op: OpContext,
  ): Promise<Outcome<V>> => {
    let outcome: Outcome<V>;
    let status: number | undefined;
    let serverOpId: string | undefined;
    try {
      // The harness's id as the op's key: its ledger row names it even if no answer comes back.
      const answer = await pools.send(base, { ...request, opKey: op.id });
      status = answer.status;
      serverOpId = serverOpIdOf(answer);
      outcome = outcomeOfAnswer(answer, shape);
    } catch (error) {
      // No complete answer: the request may have reached the lab and changed the state.
      if (!(error instanceof HttpTransportError)) throw error;
      outcome = info(`${error.message}; the change may or may not have taken effect`);
    }
    options.onExchange?.({ opId: op.id, serverOpId, baseUrl: base.text, status, outcome });
    return outcome;
  };

  const change = (accountId: number, kind: 'withdraw' | 'deposit', amount: number, op: OpContext) =>
    rejectInvalidAmount(amount) ??
    perform(
      { method: 'POST', path: `/labs/${lab}/accounts/${accountId}/${kind}`, json: { amount } },
      BALANCE_ANSWER,
      op,
    );

  return {
    withdraw: async (accountId, amount, op) => change(accountId, 'withdraw', amount, op),
    deposit: async (accountId, amount, op) => change(accountId, 'deposit', amount, op),
    reserve: async (sku, qty, op) =>
      rejectInvalidAmount(qty, 'qty') ??
      perform(
        { method: 'POST', path: `/labs/${lab}/items/${encodeURIComponent(sku)}/reserve`, json: { qty } },
        RESERVATION_ANSWER,
        op,
      ),
    transfer: async (from, to, amount, op) =>
      rejectInvalidTransfer(from, to, amount) ??
      perform(
        { method: 'POST', path: `/labs/${lab}/transfers`, json: { from, to, amount } },
        TRANSFER_ANSWER,
        op,
      ),
    withdrawJoint: async (accountId, partnerId, amount, op) =>
      rejectInvalidJoint(accountId, partnerId, amount) ??
      perform(
        {
          method: 'POST',
          path: `/labs/${lab}/joint-withdrawals`,
          json: { account: accountId, partner: partnerId, amount },
        },
        JOINT_ANSWER,
        op,
      ),
    basket: async (lines, op) =>
      rejectInvalidBasket(lines) ??
      perform(
        {
          method: 'POST',
          path: `/labs/${lab}/baskets`,
          json: { items: lines.map(({ sku, qty }) => ({ sku, qty })) },
        },
        basketAnswer(lines),
        op,
      ),
    close: async () => {},
  };
};
