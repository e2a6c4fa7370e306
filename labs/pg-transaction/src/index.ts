export { pgTransactionLab } from './pg-transaction-lab.ts';
