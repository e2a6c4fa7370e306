/** What a schedule lets a client do next: go on until it has taken a lock, read, written, or finished. */
export const TRACE_ACTIONS = ['lock', 'read', 'write', 'commit'] as const;
export type TraceAction = (typeof TRACE_ACTIONS)[number];

/** The clients a trace can have, in order: a scene uses the first two or three. */
export const TRACE_CLIENTS = ['A', 'B', 'C'] as const;
export type TraceClientName = (typeof TRACE_CLIENTS)[number];

/** One token of a schedule: `B:write` lets client B go on until its next write. */
export interface ScheduleStep {
  readonly client: TraceClientName;
  readonly action: TraceAction;
}

/**
 * The schedule that every lab is traced with unless told otherwise: both clients read before either
 * writes, then A writes and finishes before B writes. It shows the lost update of a lab without
 * protection, and the protection of any other (B blocks, B retries, B's step runs after A's).
 */
export const DEFAULT_SCHEDULE = 'A:read B:read A:write A:commit B:write B:commit';

/** A schedule that cannot be read: says which token, what is wrong with it, and what is accepted. */
export class ScheduleError extends Error {
  override readonly name = 'ScheduleError';
}

const ACCEPTED = `a schedule is tokens <client>:<action> separated by spaces or commas, e.g. "${DEFAULT_SCHEDULE}"`;

/**
 * Reads a schedule such as "A:read B:read A:write A:commit B:write B:commit" for a scene with
 * `clients` clients. Each token names a client (A, B, C; any case) and what it may do next:
 * `lock`, `read` or `write` (go on until that step is done), or `commit` (go on to the end of its
 * operation: commit, release its locks, answer).
 */
export const parseSchedule = (text: string, clients = 2): ScheduleStep[] => {
  const names = TRACE_CLIENTS.slice(0, clients);
  const tokens = text.split(/[\s,]+/).filter((token) => token !== '');
  if (tokens.length === 0) throw new ScheduleError(`the schedule is empty; ${ACCEPTED}`);
  return tokens.map((token, i) => {
    const where = `schedule token ${i + 1}, ${JSON.stringify(token)}`;
    const parts = token.split(':');
    if (parts.length !== 2) throw new ScheduleError(`${where}: not <client>:<action>; ${ACCEPTED}`);
    const [rawClient = '', rawAction = ''] = parts;
    const client = rawClient.toUpperCase();
    const action = rawAction.toLowerCase();
    if (!(names as readonly string[]).includes(client))
      throw new ScheduleError(
        `${where}: client ${JSON.stringify(rawClient)} is not one of ${names.join(', ')} (this scene has ${clients} clients); ${ACCEPTED}`,
      );
    if (!(TRACE_ACTIONS as readonly string[]).includes(action))
      throw new ScheduleError(
        `${where}: action ${JSON.stringify(rawAction)} is not one of ${TRACE_ACTIONS.join(', ')}; ${ACCEPTED}`,
      );
    return { client: client as TraceClientName, action: action as TraceAction };
  });
};

/** A schedule as it is written, for output. */
export const scheduleText = (steps: readonly ScheduleStep[]): string =>
  steps.map((step) => `${step.client}:${step.action}`).join(' ');
