import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Bump when the way a cluster is initialised changes, so that no older template is copied.
const TEMPLATE_FORMAT = 'v1';

/**
 * Where the initialised cluster for these binaries is kept: in the temporary folder, which the
 * postgres user can enter when the lab runs as root, one per Postgres build.
 */
export const templateFolder = (binaries: string): string =>
  join(
    tmpdir(),
    `concurrency-lab-pg-template-${createHash('sha1').update(`${TEMPLATE_FORMAT}:${binaries}`).digest('hex').slice(0, 16)}`,
  );

const copyPreserving = (from: string, to: string): Promise<void> =>
  new Promise((resolve, reject) => {
    // cp -a keeps the owner (the postgres user, when root runs the lab) and the 0700 mode Postgres demands.
    const child = spawn('cp', ['-a', from, to], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`copying ${from} failed: ${stderr.trim() || `exit ${code}`}`)),
    );
  });

/**
 * Fills `dataDir` with a freshly initialised cluster. initdb takes most of a second or two; it runs
 * once per Postgres build into a template, and every later server starts from a copy of it, which
 * takes a fraction of that. Two processes that make the template at once each build their own and
 * the first rename wins; a template is never written once it is in place.
 */
export const initialisedDataDir = async (
  dataDir: string,
  binaries: string,
  initialise: (dir: string) => Promise<void>,
): Promise<void> => {
  const template = templateFolder(binaries);
  const templateData = join(template, 'data');
  if (!existsSync(join(templateData, 'PG_VERSION'))) {
    const building = `${template}.building-${randomBytes(4).toString('hex')}`;
    await mkdir(building, { recursive: true });
    await chmod(building, 0o755);
    try {
      await initialise(join(building, 'data'));
      await rename(building, template).catch(() => {});
    } finally {
      await rm(building, { recursive: true, force: true });
    }
  }
  await copyPreserving(templateData, dataDir);
};

/** Removes the template of these binaries: the next server initialises a new one. */
export const forgetTemplate = (binaries: string): Promise<void> =>
  rm(templateFolder(binaries), { recursive: true, force: true });
