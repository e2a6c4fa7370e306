import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder that holds every lab's own folder, each named after its lab and holding its README
 * (`<LABS_FOLDER>/<name>/README.md`): the one this index sits in, beside the labs it lists.
 */
export const LABS_FOLDER = resolve(fileURLToPath(new URL('../..', import.meta.url)));
