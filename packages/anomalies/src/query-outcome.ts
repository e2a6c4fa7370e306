import type pg from 'pg';
import { rowFrom } from './rows.ts';
import type { StepOutcome } from './trace.ts';

/** Sends `sql` (one or more statements) and resolves with the server's answer; never rejects. */
export const queryOutcome = async (client: pg.ClientBase, sql: string): Promise<StepOutcome> => {
  try {
    const result = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
    const results = Array.isArray(result) ? result : [result];
    return {
      type: 'ok',
      commands: results.map((each) => each.command),
      rows: (results.at(-1)?.rows ?? []).map(rowFrom),
    };
  } catch (error) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    // No SQLSTATE means no answer from the server at all (a dropped connection): reported as "".
    return { type: 'error', sqlstate: typeof code === 'string' ? code : '', message: String(message) };
  }
};
