import { resolve } from 'node:path';

/**
 * Resolves a path the user typed against the folder they typed it in: `pnpm lab` runs from the
 * repository root, and pnpm passes the caller's folder as INIT_CWD.
 */
export const userPath = (path: string): string => resolve(process.env.INIT_CWD ?? process.cwd(), path);
