export { checkConstraintLab, plainChangeSql } from './check-constraint-lab.ts';
