import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { History, Op } from './op.ts';

/** What a history file says about the run it came from, in its first line. */
export interface HistoryHeader {
  readonly type: 'header';
  readonly lab: string;
  readonly options: Readonly<Record<string, string | number>>;
  readonly scenario: string;
  readonly seed: number;
  readonly concurrency: number;
  readonly raceWindowMs: number;
  /** The version of concurrency-lab that ran it. */
  readonly projectVersion: string;
  /** Wall-clock start (ISO 8601); every op's times are ms on a monotonic clock from this moment. */
  readonly startedAt: string;
  readonly ops: number;
}

/** The run a history file is written from. */
export type HistoryRun = Omit<HistoryHeader, 'type' | 'projectVersion' | 'ops'> & {
  readonly history: History;
};

/** To the µs: a monotonic clock's float noise (12.300000000001) says nothing and costs bytes. */
const micro = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms * 1000) / 1000);

const lineOf = (op: Op): string =>
  JSON.stringify({
    ...op,
    invokedAt: micro(op.invokedAt),
    completedAt: micro(op.completedAt),
    waitedMs: micro(op.waitedMs),
  });

/**
 * Writes the history as JSON Lines: a header record (lab, options, scenario, seed, concurrency,
 * project version, start time), then one op per line in invocation order, times rounded to the µs.
 */
export const writeHistoryJsonl = async (
  path: string,
  { history, ...run }: HistoryRun,
  projectVersion: string,
): Promise<void> => {
  const out = createWriteStream(path);
  const header: HistoryHeader = {
    type: 'header',
    lab: run.lab,
    options: run.options,
    scenario: run.scenario,
    seed: run.seed,
    concurrency: run.concurrency,
    raceWindowMs: run.raceWindowMs,
    projectVersion,
    startedAt: run.startedAt,
    ops: history.length,
  };
  const lines = [JSON.stringify(header), ...history.map(lineOf)];
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await finished(out);
};
