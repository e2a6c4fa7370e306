import { relative } from 'node:path';
import { describeCondition, differsFromPublished, type SuiteResult } from '@concurrency-lab/anomalies';

/** What `lab anomalies --json` prints: the table, each test as written, and every trace. */
export const anomalyResultJson = (result: SuiteResult, where: string) => ({
  server: { version: result.serverVersion, where },
  levels: result.levels,
  table: Object.fromEntries(
    result.anomalies.map((anomaly) => [
      anomaly.spec.id,
      Object.fromEntries(anomaly.cells.map((cell) => [cell.level, cell.verdict])),
    ]),
  ),
  anomalies: result.anomalies.map(({ spec, cells }) => ({
    id: spec.id,
    name: spec.name,
    description: spec.description,
    file: relative(process.cwd(), spec.file),
    setup: spec.setup,
    sessions: spec.sessions.map((session) => ({
      name: session.name,
      steps: session.steps.map((step) => ({ name: step.name, sql: step.sql })),
    })),
    published: spec.published ?? null,
    cells: cells.map((cell) => ({
      level: cell.level,
      verdict: cell.verdict,
      published: cell.published ?? null,
      differsFromPublished: differsFromPublished(cell),
      permutations: cell.permutations.map((run) => ({
        name: run.permutation,
        steps: spec.permutations.find((permutation) => permutation.name === run.permutation)?.steps ?? [],
        verdict: run.verdict,
        conditions: run.checks.map((check) => ({
          condition: describeCondition(check.condition),
          met: check.met,
          observed: check.observed,
        })),
        explanation: run.explanation,
        trace: run.trace,
      })),
    })),
  })),
});
