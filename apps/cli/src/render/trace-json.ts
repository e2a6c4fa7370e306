import { scheduleText, type TraceResult } from '@concurrency-lab/harness';

/** What `lab trace --json` prints: the scene, the schedule, every step in order, the outcome. */
export const traceResultJson = (result: TraceResult, options: Readonly<Record<string, string | number>>) => ({
  lab: result.lab,
  options,
  scenario: result.scenario,
  title: result.title,
  schedule: scheduleText(result.schedule),
  steps: result.events,
  outcomes: result.history.map((op) => op.outcome),
  initialState: result.initialState,
  finalState: result.finalState,
  violations: result.verdict.violations,
  outcome: result.outcome,
});
