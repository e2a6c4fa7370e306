export { checkConstraintLab } from './check-constraint-lab.ts';
