import type { ChangeKind, LabContext, OpContext } from '@concurrency-lab/model';
import type { Kysely } from 'kysely';
import type { LabDatabase } from './schema.ts';

export interface LedgerChange {
  readonly subject: string;
  readonly kind: ChangeKind;
  readonly delta: number;
  readonly resultingValue: number;
}

/** Appends the ledger row of a change that took effect; call it on the executor that made the change. */
export const appendLedger = async (
  db: Kysely<LabDatabase>,
  ctx: LabContext,
  op: OpContext,
  change: LedgerChange,
): Promise<void> => {
  await db
    .insertInto('ledger')
    .values({
      op_id: op.id,
      lab: ctx.lab,
      subject: change.subject,
      kind: change.kind,
      delta: change.delta,
      resulting_value: change.resultingValue,
    })
    .execute();
};
