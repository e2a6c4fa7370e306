import type { Lab, ResolvedLabOptions } from '@concurrency-lab/model';
import type { ServiceHub } from '@concurrency-lab/services';
import { type ReplicaSet, startReplicaSet } from './replica-set.ts';
import { prepareSharedServices } from './shared-services.ts';

export interface LabReplicasOptions {
  readonly lab: Lab;
  readonly options: ResolvedLabOptions;
  readonly replicas: number;
  /** Port of the first replica (default: free consecutive ports). */
  readonly port?: number;
  /** Each replica's LAB_RACE_WINDOW_MS. */
  readonly raceWindowMs: number;
  /** Each replica's LAB_ADMIN_TOKEN: whoever drives them resets the lab with it. */
  readonly adminToken: string;
  /** Prefix of the lab's schema and keys (LAB_NAMESPACE). */
  readonly namespace: string;
}

/**
 * One lab served by N replica processes for a run that drives them (`lab k6`, `lab run --http`,
 * `pnpm bench`): its services prepared once here, then the replicas started sharing them.
 */
export const startLabReplicas = async (hub: ServiceHub, run: LabReplicasOptions): Promise<ReplicaSet> => {
  const { lab, options } = run;
  const services = await prepareSharedServices(hub, [{ lab, options }], run.namespace);
  return startReplicaSet({
    replicas: run.replicas,
    port: run.port ?? 0,
    env: {
      ...services,
      LAB_LABS: lab.name,
      LAB_OPTIONS: JSON.stringify({ [lab.name]: options }),
      LAB_RACE_WINDOW_MS: String(run.raceWindowMs),
      LAB_ADMIN_TOKEN: run.adminToken,
      LAB_NAMESPACE: run.namespace,
    },
  });
};
