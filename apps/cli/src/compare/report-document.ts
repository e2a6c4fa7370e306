import { arch, availableParallelism, cpus, platform, totalmem } from 'node:os';
import { serverVersion as postgresServerVersion } from '@concurrency-lab/postgres';
import { redisServerBinaryVersion, serverVersion as redisServerVersion } from '@concurrency-lab/redis';
import {
  REPORT_FORMAT,
  REPORT_VERSION,
  type ReportDocument,
  type ReportEnvironment,
} from '@concurrency-lab/report';
import type { ServiceHub } from '@concurrency-lab/services';
import type { ChosenLab } from '../lab-options.ts';
import type { ComparePlan } from './compare-plan.ts';
import { labInfoOf } from './lab-info.ts';
import type { MatrixResults, MatrixSettings } from './run-matrix.ts';

/**
 * The Redis version for a report: the server's own when `url` answers, else the version of the
 * redis-server binary the labs would start, said so; null when there is neither.
 */
const redisVersionOf = async (url: string | undefined): Promise<string | null> => {
  const version = url ? await redisServerVersion(url) : null;
  if (version) return version;
  const binary = await redisServerBinaryVersion();
  return binary ? `${binary} (redis-server binary)` : null;
};

/**
 * Where the runs happened, for report.json: versions of the servers the labs actually used (asked
 * through `hub`, which knows where they are), the machine, the date and the seed. A server that
 * cannot be asked leaves its version null, never an error.
 */
export const compareEnvironment = async (
  hub: ServiceHub,
  labs: readonly Pick<ChosenLab, 'lab'>[],
  run: { readonly seed: number; readonly startedAt: Date },
): Promise<ReportEnvironment> => {
  const needs = (service: 'postgres' | 'redis' | 'redlock') =>
    labs.some((p) => p.lab.needs.includes(service));
  const postgresUrl = needs('postgres') ? await hub.postgresUrl().catch(() => undefined) : undefined;
  const redisUrl = needs('redis')
    ? await hub.redisUrl().catch(() => undefined)
    : needs('redlock')
      ? (await hub.redlockUrls().catch(() => []))[0]
      : undefined;
  const [postgres, redis, redlockNodes] = await Promise.all([
    postgresUrl ? postgresServerVersion(postgresUrl) : null,
    needs('redis') || needs('redlock') ? redisVersionOf(redisUrl) : null,
    needs('redlock')
      ? hub.redlockUrls().then(
          (urls) => urls.length,
          () => null,
        )
      : null,
  ]);
  return {
    node: process.version,
    postgres,
    redis,
    redlockNodes,
    platform: platform(),
    arch: arch(),
    cpus: availableParallelism(),
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    totalMemoryMb: Math.round(totalmem() / 2 ** 20),
    date: run.startedAt.toISOString(),
    seed: run.seed,
  };
};

/** The command as typed, quoted where a shell would need it: `lab compare --labs naive …`. */
const commandLine = (args: readonly string[]): string =>
  ['lab', ...args]
    .map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`))
    .join(' ');

/** report.json's content: what was asked, where it ran, and every run's result or error. */
export const reportDocument = (
  plan: ComparePlan,
  settings: MatrixSettings,
  environment: ReportEnvironment,
  results: MatrixResults,
  args: readonly string[] = process.argv.slice(2),
): ReportDocument => ({
  format: REPORT_FORMAT,
  version: REPORT_VERSION,
  command: commandLine(args),
  settings: {
    labs: plan.labs.map(({ lab }) => lab.name),
    scenarios: plan.scenarios.map((s) => s.name),
    concurrency: settings.concurrency ?? null,
    repeat: settings.repeat,
    raceWindowMs: settings.raceWindowMs,
    ops: plan.ops ?? null,
    http: settings.http
      ? {
          servers: settings.http.kind,
          replicas: settings.http.kind === 'started' ? settings.http.replicas : settings.http.urls.length,
        }
      : null,
  },
  environment,
  labs: plan.labs.map(({ lab, varied }) => labInfoOf(lab, varied)),
  scenarios: plan.scenarios.map((s) => ({ name: s.name, title: s.title, description: s.description })),
  runs: [...results.runs],
  errors: [...results.errors],
});
