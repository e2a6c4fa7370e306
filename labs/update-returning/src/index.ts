export { changeBalanceSql, updateReturningLab } from './update-returning-lab.ts';
