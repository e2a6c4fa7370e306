import { type FaultDefinition, pauseHolderFault } from '@concurrency-lab/harness';
import { killReplicaFault } from './kill-replica-fault.ts';
import { latencyFault, partitionFault } from './network-faults.ts';
import { killRedisNodesFault, pauseRedisNodesFault, restartRedisNodeFault } from './redis-node-faults.ts';
import { terminateBackendsFault } from './terminate-backends-fault.ts';

/** Every fault `--fault` accepts, in the order `lab faults` lists them. */
export const FAULTS: readonly FaultDefinition[] = [
  pauseHolderFault,
  killRedisNodesFault,
  pauseRedisNodesFault,
  restartRedisNodeFault,
  terminateBackendsFault,
  latencyFault,
  partitionFault,
  killReplicaFault,
];
