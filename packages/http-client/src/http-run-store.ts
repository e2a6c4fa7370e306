import { opKeyOf } from '@concurrency-lab/harness';
import type { LabStore, ScenarioName, State } from '@concurrency-lab/model';
import { HttpLabStore } from './http-lab-store.ts';
import type { HttpPools } from './http-pools.ts';

export interface HttpRunStoreOptions {
  /** Every replica the run's clients talk to; the state is shared, but each replica keeps its own reset. */
  readonly urls: readonly string[];
  readonly lab: string;
  /** The scenario the server seeds on reset: it seeds named scenarios only, at their full size. */
  readonly scenario: ScenarioName;
  /** The servers' LAB_ADMIN_TOKEN. */
  readonly adminToken: string | undefined;
}

const same = (a: State, b: State): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The LabStore a harness run over HTTP uses: reset through every replica (each one then knows the
 * scenario and forgets its earlier operations), reads, the final state and the ledger through the
 * first, the ledger's op ids turned back into the harness's. The runner's initial state must be
 * the one the server seeds, or the checkers would judge against a state the lab never had: a
 * differing one is refused before any operation.
 */
export const httpRunStore = (pools: HttpPools, options: HttpRunStoreOptions): LabStore => {
  const stores = options.urls.map(
    (baseUrl) =>
      new HttpLabStore(pools, {
        baseUrl,
        lab: options.lab,
        ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
      }),
  );
  const first = stores[0];
  if (!first) throw new TypeError('a run over HTTP needs at least one server URL');
  return {
    reset: async (initial) => {
      for (const store of stores) {
        const seeded = await store.reset(options.scenario);
        if (!same(seeded.initialState, initial))
          throw new Error(
            `the server seeds ${options.scenario} with another initial state than this run's (it seeds named scenarios at their full size only)`,
          );
      }
    },
    readState: () => first.readState(options.scenario),
    readAccount: (id) => first.readAccount(id),
    readItem: (sku) => first.readItem(sku),
    // Each row as the run's history names its op: by the key the client sent (the harness's id),
    // so that an op whose answer never came is still matched with its row.
    readLedger: async () =>
      (await first.readLedger()).map((row) => ({ ...row, opId: opKeyOf(row.opId) ?? row.opId })),
  };
};
