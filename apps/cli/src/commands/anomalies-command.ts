import {
  type AnomalySpec,
  ISOLATION_LEVELS,
  type IsolationLevel,
  isIsolationLevel,
  loadSpecDirectory,
  runAnomalySuite,
  type SuiteHooks,
} from '@concurrency-lab/anomalies';
import { redactUrl } from '@concurrency-lab/postgres';
import { Command } from 'commander';
import { namesFrom } from '../lab-options.ts';
import { anomalyResultJson } from '../render/anomaly-json.ts';
import { renderAnomalyReport } from '../render/anomaly-report.ts';
import { stepLogFor, stepLogHeading } from '../render/anomaly-step-log.ts';
import { withServices } from '../service-lifetime.ts';
import { delayPacer, enterPacer, type StepPacer } from '../step-pacer.ts';
import { nonNegativeInteger, oneOf, UsageError } from '../usage-error.ts';

interface AnomaliesFlags {
  isolation?: string;
  only?: string;
  step?: boolean;
  delayMs?: number;
  json?: boolean;
}

/** The levels named by --isolation, in the usual weakest-first order; all three by default. */
const chosenLevels = (raw: string | undefined): IsolationLevel[] => {
  if (raw === undefined) return [...ISOLATION_LEVELS];
  const names = namesFrom(raw, '--isolation');
  for (const name of names)
    if (!isIsolationLevel(name)) throw oneOf('isolation level', name, ISOLATION_LEVELS);
  return ISOLATION_LEVELS.filter((level) => names.includes(level));
};

/** The tests named by --only (ids, any case), in the suite's order; all of them by default. */
const chosenSpecs = (raw: string | undefined, specs: readonly AnomalySpec[]): AnomalySpec[] => {
  if (raw === undefined) return [...specs];
  const names = namesFrom(raw, '--only');
  const named = (spec: AnomalySpec, name: string) => spec.id.toLowerCase() === name.toLowerCase();
  const unknown = names.find((name) => !specs.some((spec) => named(spec, name)));
  if (unknown !== undefined) {
    const ids = specs.map((spec) => spec.id).join(', ');
    throw new UsageError(`unknown anomaly ${JSON.stringify(unknown)} in --only; valid anomaly ids: ${ids}`);
  }
  return specs.filter((spec) => names.some((name) => named(spec, name)));
};

/** Prints each step as it runs, paced by Enter or by --delay-ms. */
const walkThrough = (pacer: StepPacer): SuiteHooks => {
  let log: ReturnType<typeof stepLogFor> = () => '';
  return {
    runStarted: (run) => {
      log = stepLogFor(run);
      process.stdout.write(`${stepLogHeading(run)}\n`);
    },
    beforeStep: () => pacer.next(),
    onEvent: (_, event) => process.stdout.write(`${log(event)}\n`),
  };
};

/** `lab anomalies`: the Hermitage anomaly tests on real Postgres at each level, and why each cell is what it is. */
export const anomaliesCommand = (): Command =>
  new Command('anomalies')
    .description(
      'run the Hermitage isolation anomaly tests on real Postgres and show which level prevents which',
    )
    .option(
      '--isolation <levels>',
      `comma-separated isolation levels: ${ISOLATION_LEVELS.join(', ')} (default: all)`,
    )
    .option('--only <ids>', 'comma-separated anomaly ids, e.g. G0,P4 (default: all ten)')
    .option('--step', 'walk through each test, printing every step as it runs; Enter sends the next one')
    .option(
      '--delay-ms <n>',
      'with --step: wait N ms between steps instead of for Enter',
      nonNegativeInteger('--delay-ms'),
    )
    .option('--json', 'print the table and every trace as one JSON object')
    .action(async (opts: AnomaliesFlags) => {
      const levels = chosenLevels(opts.isolation);
      if (opts.delayMs !== undefined && !opts.step)
        throw new UsageError('--delay-ms applies only with --step');
      if (opts.step && opts.json) throw new UsageError('--step and --json cannot be combined: pick one');
      const specs = chosenSpecs(opts.only, loadSpecDirectory());
      const pacer = opts.step
        ? opts.delayMs === undefined
          ? enterPacer()
          : delayPacer(opts.delayMs)
        : undefined;
      const { result, where } = await withServices(async (hub) => {
        const url = await hub.postgresUrl();
        const where = process.env.LAB_DATABASE_URL ? redactUrl(url) : 'embedded, started for this command';
        const result = await runAnomalySuite({
          url,
          specs,
          levels,
          ...(pacer ? { hooks: walkThrough(pacer) } : {}),
        });
        return { result, where };
      }).finally(() => pacer?.close());
      process.stdout.write(
        opts.json
          ? `${JSON.stringify(anomalyResultJson(result, where), null, 2)}\n`
          : `${opts.step ? '\n' : ''}${renderAnomalyReport(result, where)}\n`,
      );
    });
