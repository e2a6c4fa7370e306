import type { Response } from 'express';
import { send } from '../http/send-reply.ts';
import { quoted } from '../request-validation.ts';
import type { ServedLab } from '../served-lab.ts';

/** The labs this replica serves, by name. */
export type ServedLabs = ReadonlyMap<string, ServedLab>;

/** This replica as the answers name it: its id, its index, and how many replicas serve the same state. */
export interface ReplicaIdentity {
  readonly id: string;
  readonly index: number;
  readonly of: number;
}

/** The served lab named `name`; undefined once it has answered 404 `unknown_lab`, naming the served ones. */
export const servedLabOr404 = (labs: ServedLabs, name: string, res: Response): ServedLab | undefined => {
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
