export { naiveLab } from './naive-lab.ts';
export type { ReadModifyWriteOptions } from './read-modify-write.ts';
export { readModifyWrite } from './read-modify-write.ts';
