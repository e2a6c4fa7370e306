export { LABS, labNamed, labNames } from './labs.ts';
