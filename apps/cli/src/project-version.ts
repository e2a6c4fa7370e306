import { readFileSync } from 'node:fs';

/** The version of concurrency-lab: the `lab` command's own package version (one home for it). */
export const PROJECT_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
