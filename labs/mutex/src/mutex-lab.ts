import { guardOperations } from '@concurrency-lab/locks';
import { everyScenario, type Lab, sessionFrom } from '@concurrency-lab/model';
import { postgresOf, postgresStore, readModifyWrite } from '@concurrency-lab/postgres';
import { Mutex } from 'async-mutex';

// One mutex per subject per run, shared by every session in this process and by nothing else:
// that is the whole point, and the whole weakness, of an in-process lock.
const mutexes = new Map<string, Mutex>();
const mutexFor = (key: string): Mutex => {
  const mutex = mutexes.get(key) ?? new Mutex();
  mutexes.set(key, mutex);
  return mutex;
};

/**
 * The naive steps, each run while holding this process's mutex for every row it touches (a transfer
 * or a basket takes them one by one in id order, so two of them never wait on each other in a cycle).
 */
export const mutexLab: Lab = {
  name: 'mutex',
  title: 'In-process mutex',
  summary: 'An async mutex per row around the naive code: safe inside one process, useless across replicas.',
  needs: ['postgres'],
  expect: everyScenario('safe'),
  // Expected unsafe on every scenario when served by more than one replica.
  processLocal: true,
  store: postgresStore,
  open: async (ctx) => {
    const steps = readModifyWrite(postgresOf(ctx).db, ctx);
    return sessionFrom(
      guardOperations(steps, (subject, op, run) => {
        const asked = performance.now();
        return mutexFor(`${ctx.namespace}/${subject}`).runExclusive(() => {
          op.waited(performance.now() - asked);
          return run();
        });
      }),
    );
  },
};
