import { type FaultDefinition, pauseHolderFault } from '@concurrency-lab/harness';

/** Every fault `--fault` accepts, in the order `lab faults` lists them. */
export const FAULTS: readonly FaultDefinition[] = [pauseHolderFault];
