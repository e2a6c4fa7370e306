import type { ServiceStates } from '@concurrency-lab/services';

/** What GET /health asks for: the state of every service the served labs need. */
export type HealthProbe = () => Promise<ServiceStates>;

/** Each probe waits this long for a service; under a second, so that a 1 s readiness probe gets its answer. */
export const PROBE_TIMEOUT_MS = 750;

/** A probe's answer is reused this long, so that a flood of GET /health opens no flood of connections. */
export const PROBE_REUSE_MS = 1_000;

/**
 * Wraps `probe` so that it runs at most once per `reuseMs`: callers within that time, and callers
 * while one is in flight, share its answer. A fresh connection per service per call would otherwise
 * let any client exhaust the database's connections by asking for /health.
 */
export const sharedProbe = (probe: HealthProbe, reuseMs = PROBE_REUSE_MS): HealthProbe => {
  let last: { readonly startedAt: number; readonly states: Promise<ServiceStates> } | undefined;
  return () => {
    const now = performance.now();
    if (!last || now - last.startedAt >= reuseMs) last = { startedAt: now, states: probe() };
    return last.states;
  };
};
