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
export const faultsFor = (
  lab: Lab,
  options: ResolvedLabOptions,
  flags: FaultFlags,
  keepNotApplicable = false,
): PlannedFaults => {
  let faults: FaultRequest[];
  try {
    faults = parseFaults(flags.fault, FAULTS, lab, options);
  } catch (error) {
    if (!(error instanceof FaultSpecError)) throw error;
    if (keepNotApplicable && error.problem === 'not-applicable') throw error;
    throw new UsageError(error.message);
  }
  const problem = faultTargetProblem(lab, faults);
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
export const faultCells = (plan: ComparePlan, flags: FaultFlags): ComparePlan => {
  if (flags.fault.length === 0) {
    checkScheduleAlone(flags);
    return plan;
  }
  const cells: ComparePlan['cells'][number][] = [];
  const skipped = [...plan.skipped];
  for (const cell of plan.cells) {
    try {
      cells.push({ ...cell, ...faultsFor(cell.planned.lab, cell.planned.options, flags, true) });
    } catch (error) {
      if (!(error instanceof FaultSpecError)) throw error;
      skipped.push({ label: cell.label, scenario: cell.scenario.name, reason: error.message });
    }
  }
  return { ...plan, cells, skipped };
};
