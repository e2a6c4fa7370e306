export { selectForUpdateLab } from './select-for-update-lab.ts';
