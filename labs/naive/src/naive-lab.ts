import { everyScenario, type Lab, sessionFrom } from '@concurrency-lab/model';
import { postgresOf, postgresStore, readModifyWrite } from '@concurrency-lab/postgres';

/** The baseline: read, compute, write, with nothing in between to stop a concurrent writer. */
export const naiveLab: Lab = {
  name: 'naive',
  title: 'Naive read-modify-write',
  summary: 'Nothing protects the row: read it, compute the new value in JavaScript, write it back.',
  needs: ['postgres'],
  expect: everyScenario('unsafe'),
  store: postgresStore,
  open: async (ctx) => sessionFrom(readModifyWrite(postgresOf(ctx).db, ctx)),
};
