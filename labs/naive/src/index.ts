export { naiveLab } from './naive-lab.ts';
