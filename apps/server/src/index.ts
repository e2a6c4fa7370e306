export type { LabAppOptions } from './lab-app.ts';
export { createLabApp } from './lab-app.ts';
export type { LabReplicasOptions } from './lab-replicas.ts';
export { startLabReplicas } from './lab-replicas.ts';
export type { LabServer } from './lab-server.ts';
export { startLabServer } from './lab-server.ts';
export type { HttpReply } from './outcome-response.ts';
export { isUnavailable, replyForError, replyForOutcome } from './outcome-response.ts';
export type { ReplicaExit, ReplicaExitPolicy, ReplicaSet, ReplicaSetOptions } from './replica-set.ts';
export {
  describeExit,
  findConsecutiveFreePorts,
  REPLICA_EXIT_POLICIES,
  SERVER_MAIN,
  startReplicaSet,
} from './replica-set.ts';
export type { InvalidInput, Validated } from './request-validation.ts';
export { MAX_ACCOUNT_ID, parseAccountId, parseQuantityBody, parseSku } from './request-validation.ts';
export type { Performed, ServedLabOptions } from './served-lab.ts';
export { ServedLab } from './served-lab.ts';
export type { ServerConfig } from './server-config.ts';
export { labNamespace, SERVER_ENV, ServerConfigError, serverConfigFromEnv } from './server-config.ts';
export type { SharedLab } from './shared-services.ts';
export { prepareSharedServices } from './shared-services.ts';
