import exec from 'k6/execution';
import http, { type RefinedResponse, type ResponseType } from 'k6/http';
import {
  failures,
  okChanges,
  okReads,
  opDuration,
  operations,
  statusCounters,
  unexpectedStatus,
} from './outcome-metrics.ts';
import { FAIL_REASONS, type FailReason } from './plans.ts';
import type { RunConfig } from './run-config.ts';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** The replica for this operation: round-robin over LAB_URLS by the operation's index in the test. */
export const nextUrl = (config: RunConfig): string =>
  config.urls[exec.scenario.iterationInTest % config.urls.length] as string;

// A few examples of unexpected answers go to the log; all of them are counted.
let examplesLogged = 0;

const errorOf = (response: RefinedResponse<ResponseType | undefined>): string | undefined => {
  try {
    const body = response.json() as { error?: unknown } | null;
    return typeof body?.error === 'string' ? body.error : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Counts one answer: ok (200 with a value), a known failure (`{ "error": <reason> }` with the
 * status the server maps it to), or unexpected (anything else, including no answer at all).
 */
export const record = (
  response: RefinedResponse<ResponseType | undefined>,
  kind: 'change' | 'read',
): void => {
  opDuration.add(response.timings.duration);
  operations.add(1);
  const status = String(response.status);
  (statusCounters[status] ?? statusCounters.other)?.add(1);
  if (response.status === 200) {
    (kind === 'read' ? okReads : okChanges).add(1);
    return;
  }
  const error = errorOf(response);
  if (
    [404, 409, 503].includes(response.status) &&
    (FAIL_REASONS as readonly string[]).includes(error ?? '')
  ) {
    failures[error as FailReason].add(1);
    return;
  }
  unexpectedStatus.add(1, { status });
  if (examplesLogged++ < 3) {
    console.warn(
      `unexpected answer ${response.status} from ${response.request.url}: ${String(response.body).slice(0, 200)} ${response.error}`,
    );
  }
};

/** POSTs one change (`{ "amount": n }` or `{ "qty": n }`) and counts its answer. */
export const postChange = (url: string, body: Readonly<Record<string, number>>, name: string): void => {
  record(http.post(url, JSON.stringify(body), { headers: JSON_HEADERS, tags: { name } }), 'change');
};

/** GETs a value (an account) and counts its answer. */
export const getValue = (url: string, name: string): void => {
  record(http.get(url, { tags: { name } }), 'read');
};
