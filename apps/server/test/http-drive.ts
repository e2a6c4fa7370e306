import { callSession, isChange, type Op, type OpRequest, opContextFor } from '@concurrency-lab/harness';
import { type HttpExchange, type HttpPools, openHttpSession } from '@concurrency-lab/http-client';

/** The hooks of one op sent outside a run (there is nothing to count them into). */
export const hooks = (id: string) =>
  opContextFor({
    index: 0,
    id,
    process: 0,
    request: { kind: 'read', accountId: 1 },
    invokedAt: 0,
    retries: 0,
    conflicts: 0,
    waitedMs: 0,
    deadlocks: 0,
  });

/**
 * Runs `ops` from `concurrency` sessions that share `pools`, recording each op as the harness does;
 * `onDone` hears how many have completed after each one.
 */
export const driveOverHttp = async (
  pools: HttpPools,
  baseUrl: string,
  lab: string,
  ops: readonly OpRequest[],
  concurrency: number,
  onDone?: (done: number) => void,
) => {
  const exchanges = new Map<string, HttpExchange>();
  const history: Op[] = [];
  const started = performance.now();
  let next = 0;
  const client = async (process: number) => {
    const session = openHttpSession(pools, {
      baseUrl,
      lab,
      onExchange: (exchange) => exchanges.set(exchange.opId, exchange),
    });
    while (next < ops.length) {
      const index = next++;
      const request = ops[index];
      if (!request || !isChange(request)) continue;
      const op: Op = {
        index,
        id: `http-${index}`,
        process,
        request,
        invokedAt: performance.now() - started,
        retries: 0,
        conflicts: 0,
        waitedMs: 0,
        deadlocks: 0,
      };
      op.outcome = await callSession(session, request, opContextFor(op));
      op.completedAt = performance.now() - started;
      // The ledger row carries the server's op id: that is the id the history must know it by.
      history.push({ ...op, id: exchanges.get(op.id)?.serverOpId ?? op.id });
      onDone?.(history.length);
    }
    await session.close();
  };
  await Promise.all(Array.from({ length: concurrency }, (_, i) => client(i)));
  history.sort((a, b) => a.index - b.index);
  return { history, exchanges: [...exchanges.values()] };
};
