export { LABS, labNamed, labNames } from './labs.ts';
export { LABS_FOLDER } from './labs-folder.ts';
