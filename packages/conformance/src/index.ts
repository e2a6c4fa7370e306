export { describeLabConformance } from './lab-conformance.ts';
