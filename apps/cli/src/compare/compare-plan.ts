import {
  type FaultRequest,
  type FaultSchedule,
  isScenarioName,
  type Scenario,
  scaledScenario,
  scenarioNamed,
} from '@concurrency-lab/harness';
import { labNames } from '@concurrency-lab/labs';
import {
  SCENARIO_NAMES,
  type ScenarioName,
  supportedScenarios,
  unsupportedReason,
} from '@concurrency-lab/model';
import { rowOf } from '@concurrency-lab/report';
import type { Option } from 'commander';
import { type ChosenLab, namesFrom } from '../lab-options.ts';
import { oneOf } from '../usage-error.ts';
import { labInfoOf } from './lab-info.ts';
import { type LabVariants, labVariants } from './lab-variants.ts';

/** The scenarios a comparison runs when none are named: the three that every strategy can be judged on. */
export const DEFAULT_COMPARE_SCENARIOS: readonly ScenarioName[] = ['withdraw-storm', 'flash-sale', 'mixed'];

/** What `lab compare` was asked to compare: its flags, lab-option flags included. */
export interface CompareRequest {
  readonly labs?: string;
  readonly scenarios?: string;
  readonly ops?: number;
  readonly [option: string]: unknown;
}

/** One cell of the matrix: a lab, with its options, on a scenario. */
export interface CompareCell {
  readonly planned: ChosenLab;
  /** The row's label, as the report names it: `pg-transaction (isolation=serializable)`. */
  readonly label: string;
  readonly scenario: Scenario;
  /** The faults injected into its runs (--fault), and when. */
  readonly faults?: readonly FaultRequest[];
  readonly faultSchedule?: FaultSchedule;
}

/** A lab × scenario pair that does not run, and why. */
export interface SkippedCell {
  /** The row's label, as the report names it. */
  readonly label: string;
  readonly scenario: ScenarioName;
  readonly reason: string;
}

export interface ComparePlan {
  /** The labs in the order asked for, each with its variants (options resolved) and what varies between them. */
  readonly labs: readonly LabVariants[];
  /** The scenarios in the order asked for, scaled when --ops was given. */
  readonly scenarios: readonly Scenario[];
  /** The cells that run, lab by lab, variant by variant. */
  readonly cells: readonly CompareCell[];
  readonly skipped: readonly SkippedCell[];
  /** The size every scenario was scaled to (--ops), if any. */
  readonly ops: number | undefined;
}

/**
 * Which labs × scenarios a comparison runs, and which pairs it skips: a usage error for an unknown
 * lab, scenario or lab option, before anything runs. Plans only; prints nothing.
 */
export const planComparison = (request: CompareRequest, labFlags: Map<string, Option>): ComparePlan => {
  const labs = labVariants(request.labs ? namesFrom(request.labs, '--labs') : labNames(), labFlags, request);
  const names = request.scenarios
    ? namesFrom(request.scenarios, '--scenarios')
    : [...DEFAULT_COMPARE_SCENARIOS];
  for (const name of names) if (!isScenarioName(name)) throw oneOf('scenario', name, SCENARIO_NAMES);
  const scenarios = (names as ScenarioName[]).map((name) =>
    request.ops === undefined ? scenarioNamed(name) : scaledScenario(name, request.ops),
  );
  const cells: CompareCell[] = [];
  const skipped: SkippedCell[] = [];
  for (const { lab, variants, varied } of labs) {
    for (const planned of variants) {
      const supported = supportedScenarios(lab, planned.options);
      const { label } = rowOf({ lab: lab.name, options: planned.options }, labInfoOf(lab, varied));
      for (const scenario of scenarios) {
        if (supported.includes(scenario.name)) cells.push({ planned, label, scenario });
        else
          skipped.push({
            label,
            scenario: scenario.name,
            reason: unsupportedReason(lab, scenario.name, planned.options) ?? 'the lab does not run it',
          });
      }
    }
  }
  return { labs, scenarios, cells, skipped, ops: request.ops };
};
