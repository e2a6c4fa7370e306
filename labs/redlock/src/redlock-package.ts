import { createRequire } from 'node:module';
import type * as RedlockPackage from '../node_modules/redlock/dist/index.d.ts';

// redlock 5.0.0-beta.2 ships its declarations, but its package.json "exports" has no "types"
// condition, so under NodeNext `import … from 'redlock'` finds no types, here and in every package
// that imports this lab. A tsconfig `paths` entry would fix the compiler but not a loader that follows
// `paths` at run time and would load the .d.ts. So: the types by relative path (type-only, erased),
// the code by Node's own resolution.
const redlock = createRequire(import.meta.url)('redlock') as typeof RedlockPackage;

export const Redlock = redlock.default;
export const { ExecutionError, ResourceLockedError } = redlock;
export type { ExecutionStats, Lock } from '../node_modules/redlock/dist/index.d.ts';
