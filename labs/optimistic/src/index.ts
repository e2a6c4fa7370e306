export { optimisticLab } from './optimistic-lab.ts';
