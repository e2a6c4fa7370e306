export { LABS, labNamed, labNames } from './labs.ts';
export type { RunLabOptions } from './run-lab.ts';
export { runLab } from './run-lab.ts';
export type { PreparedRun, PrepareOptions } from './services.ts';
export { freshNamespace, ServiceHub } from './services.ts';
