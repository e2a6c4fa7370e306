import { SCENARIO_NAMES, type ScenarioName } from '@concurrency-lab/model';
import { basketDefinition } from './basket.ts';
import { flashSaleBasicDefinition, flashSaleDefinition, replicasDefinition } from './flash-sale.ts';
import { mixedDefinition } from './mixed.ts';
import { reserveDefinition, reserveEdgesDefinition } from './reserve.ts';
import type { Scenario, ScenarioDefinition } from './scenario.ts';
import { transferDefinition } from './transfer.ts';
import { withdrawStormDefinition } from './withdraw-storm.ts';
import { writeSkewDefinition } from './write-skew.ts';

/** Every scenario's builder, by name (docs: shared/scenarios.md). */
export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioDefinition>> = {
  'withdraw-storm': withdrawStormDefinition,
  'flash-sale': flashSaleDefinition,
  'flash-sale-basic': flashSaleBasicDefinition,
  reserve: reserveDefinition,
  'reserve-edges': reserveEdgesDefinition,
  mixed: mixedDefinition,
  replicas: replicasDefinition,
  transfer: transferDefinition,
  basket: basketDefinition,
  'write-skew': writeSkewDefinition,
};

export const isScenarioName = (name: string): name is ScenarioName =>
  (SCENARIO_NAMES as readonly string[]).includes(name);

/** The scenario by name at the size given in the scenario catalog. */
export const scenarioNamed = (name: ScenarioName): Scenario => SCENARIOS[name].full();

/** The scenario by name resized to about `ops` operations (see ScenarioDefinition.scaled). */
export const scaledScenario = (name: ScenarioName, ops: number): Scenario => SCENARIOS[name].scaled(ops);
