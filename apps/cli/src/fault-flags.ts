import {
  type FaultRequest,
  type FaultSchedule,
  FaultSpecError,
  faultUsage,
  parseFaults,
} from '@concurrency-lab/harness';
import type { Lab, ResolvedLabOptions } from '@concurrency-lab/model';
import { FAULTS, faultTargetProblem } from '@concurrency-lab/services';
import type { Command } from 'commander';
import type { ComparePlan } from './compare/compare-plan.ts';
import type { HttpServers } from './http-flags.ts';
import { nonNegativeInteger, positiveInteger, UsageError } from './usage-error.ts';

/** What `--fault`, `--fault-at` and `--fault-for` leave in a command's options. */
export interface FaultFlags {
  readonly fault: readonly string[];
  readonly faultAt?: number;
  readonly faultFor?: number;
}

/** The run's faults and when they start and stop, as runLab takes them. */
export interface PlannedFaults {
  readonly faults: readonly FaultRequest[];
  readonly faultSchedule: FaultSchedule;
}

/** Adds `--fault <name>[:<arg>]` (repeatable), `--fault-at <ms>` and `--fault-for <ms>` to `command`. */
export const addFaultFlags = (command: Command): Command =>
  command
    .option(
      '--fault <name[:arg]>',
      `inject a fault, repeatable (see lab faults): ${FAULTS.map(faultUsage).join(', ')}`,
      (value: string, previous: readonly string[]) => [...previous, value],
      [] as readonly string[],
    )
    .option(
      '--fault-at <ms>',
      'start the faults this long after the run starts (default: a fifth of the way in)',
      nonNegativeInteger('--fault-at', 3_600_000),
    )
    .option(
      '--fault-for <ms>',
      'stop them this long after they start (default: four fifths of the way in, at the latest the end)',
      positiveInteger('--fault-for', 3_600_000),
    );

/** --fault-at or --fault-for without a --fault would schedule nothing: said, not ignored. */
const checkScheduleAlone = (flags: FaultFlags): void => {
  if (flags.faultAt !== undefined || flags.faultFor !== undefined)
    throw new UsageError(
      '--fault-at and --fault-for say when faults start and stop; give a fault with --fault',
    );
};

/** When the faults start and stop, from the flags. */
export const faultScheduleFrom = (flags: FaultFlags): FaultSchedule => ({
  ...(flags.faultAt === undefined ? {} : { atMs: flags.faultAt }),
  ...(flags.faultFor === undefined ? {} : { forMs: flags.faultFor }),
});

/**
 * The faults of a run of `lab`: a UsageError (exit 2) for an unknown fault, an argument not accepted,
 * a fault that does not apply to the lab, or one whose processes this run would not start.
 * A FaultSpecError of problem `not-applicable` is rethrown as is when `keepNotApplicable` (compare skips the cell).
 */
/** Where the run's operations run: in this process, or over HTTP in replicas it started (how many) or someone else's. */
export type FaultRunPlace = { readonly kind: 'in-process' } | HttpServers;

/** Why a fault cannot act on a run in `place`, or undefined. */
const placeProblem = (fault: FaultRequest, place: FaultRunPlace): string | undefined => {
  const { name, inProcess, target } = fault.definition;
  if (target === 'replicas' && (place.kind !== 'started' || place.replicas < 2))
    return `fault ${name} kills one of the app replicas the run starts: it needs --http --replicas N with N of at least 2`;
  if (place.kind === 'in-process') return undefined;
  if (inProcess)
    return `fault ${name} acts inside the lab's operations, which over HTTP run in the replicas: run it without --http`;
  if (target === 'network')
    return `fault ${name} routes the lab's connections to a store through a proxy, which only a run in this process does (the replicas connect directly): run it without --http`;
  if (place.kind === 'target' && target !== undefined && target !== 'replicas')
    return `fault ${name} acts only on processes this run starts, and --target servers were started by someone else`;
  return undefined;
};

export const faultsFor = (
  lab: Lab,
  options: ResolvedLabOptions,
  flags: FaultFlags,
  keepNotApplicable = false,
  place: FaultRunPlace = { kind: 'in-process' },
): PlannedFaults => {
  let faults: FaultRequest[];
  try {
    faults = parseFaults(flags.fault, FAULTS, lab, options);
  } catch (error) {
    if (!(error instanceof FaultSpecError)) throw error;
    if (keepNotApplicable && error.problem === 'not-applicable') throw error;
    throw new UsageError(error.message);
  }
  const problem =
    faults.map((fault) => placeProblem(fault, place)).find((why) => why !== undefined) ??
    faultTargetProblem(lab, faults);
  if (problem !== undefined) {
    if (keepNotApplicable) throw new FaultSpecError('not-applicable', problem);
    throw new UsageError(problem);
  }
  if (faults.length === 0) checkScheduleAlone(flags);
  return { faults, faultSchedule: faultScheduleFrom(flags) };
};

/**
 * The comparison with the faults in every cell: a cell whose lab the faults do not apply to is
 * skipped with the reason (as an unsupported scenario is); any other problem is a UsageError.
 */
export const faultCells = (
  plan: ComparePlan,
  flags: FaultFlags,
  place: FaultRunPlace = { kind: 'in-process' },
): ComparePlan => {
  if (flags.fault.length === 0) {
    checkScheduleAlone(flags);
    return plan;
  }
  const cells: ComparePlan['cells'][number][] = [];
  const skipped = [...plan.skipped];
  for (const cell of plan.cells) {
    try {
      cells.push({ ...cell, ...faultsFor(cell.planned.lab, cell.planned.options, flags, true, place) });
    } catch (error) {
      if (!(error instanceof FaultSpecError)) throw error;
      skipped.push({ label: cell.label, scenario: cell.scenario.name, reason: error.message });
    }
  }
  return { ...plan, cells, skipped };
};
