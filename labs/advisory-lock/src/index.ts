export { advisoryLockLab } from './advisory-lock-lab.ts';
