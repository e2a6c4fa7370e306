import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { History } from './op.ts';

/** Writes the history as JSON Lines, one op per line, in invocation order. */
export const writeHistoryJsonl = async (path: string, history: History): Promise<void> => {
  const out = createWriteStream(path);
  for (const op of history) {
    if (!out.write(`${JSON.stringify(op)}\n`))
      await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
};
