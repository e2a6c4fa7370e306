export { FAULTS } from './faults/fault-catalog.ts';
export { faultContextFor, faultTargetProblem } from './faults/fault-context.ts';
export { freshNamespace } from './namespace.ts';
export type { RunLabOptions } from './run-lab.ts';
export { runLab } from './run-lab.ts';
export type { ServiceEndpoints, ServiceState, ServiceStates } from './service-health.ts';
export { probeServices, serviceEndpoints } from './service-health.ts';
export type { PreparedRun, PrepareOptions } from './service-hub.ts';
export { ServiceHub } from './service-hub.ts';
