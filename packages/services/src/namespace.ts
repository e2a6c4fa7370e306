import { randomBytes } from 'node:crypto';

/** A short unique name for one run: keeps runs that share a server apart. */
export const freshNamespace = (lab: string): string =>
  `${lab}_${randomBytes(4).toString('hex')}`.replace(/-/g, '_');
