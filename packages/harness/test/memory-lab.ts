import {
  type Account,
  fail,
  type Lab,
  type LabStore,
  type LedgerEntry,
  ok,
  type State,
  type StockItem,
  sessionFrom,
} from '@concurrency-lab/model';

/**
 * A lab whose state is a JavaScript object, for testing the runner itself without a database.
 * Its withdrawals read, await the race window, then write: a naive strategy in memory.
 * `throwEvery` makes every n-th withdrawal throw after writing, so its effect is real but unknown.
 */
export const memoryLab = ({ throwEvery = 0 } = {}): Lab & { readonly calls: { raceWindow: number } } => {
  let accounts = new Map<number, Account>();
  let items = new Map<string, StockItem>();
  let ledger: LedgerEntry[] = [];
  const calls = { raceWindow: 0 };
  let withdrawals = 0;
  const store: LabStore = {
    async reset(initial: State) {
      accounts = new Map(initial.accounts.map((a) => [a.id, a]));
      items = new Map(initial.items.map((i) => [i.sku, i]));
      ledger = [];
    },
    readState: async () => ({ accounts: [...accounts.values()], items: [...items.values()] }),
    readAccount: async (id) => accounts.get(id),
    readItem: async (sku) => items.get(sku),
    readLedger: async () => ledger,
  };
  return {
    name: 'memory',
    title: 'In-memory naive',
    summary: 'test double for the runner',
    needs: [],
    expect: { 'withdraw-storm': 'unsafe', mixed: 'unsafe' },
    calls,
    store: () => store,
    open: async (ctx) =>
      sessionFrom({
        async withdraw(id, amount, op) {
          const account = accounts.get(id);
          if (!account) return fail('not_found');
          if (account.balance < amount) return fail('insufficient_funds');
          calls.raceWindow++;
          await op.raceWindow();
          const balance = account.balance - amount;
          accounts.set(id, { ...account, balance, version: account.version + 1 });
          const entry = {
            opId: op.id,
            lab: ctx.lab,
            subject: `account:${id}`,
            kind: 'withdraw',
            delta: -amount,
          };
          ledger.push({ ...entry, kind: 'withdraw', resultingValue: balance, at: new Date() });
          withdrawals++;
          if (throwEvery > 0 && withdrawals % throwEvery === 0)
            throw new Error('connection reset after commit');
          return ok(balance);
        },
        deposit: async () => fail('not_found'),
        reserve: async () => fail('not_found'),
        transfer: async () => fail('not_found'),
        withdrawJoint: async () => fail('not_found'),
        basket: async () => fail('not_found'),
      }),
  };
};
