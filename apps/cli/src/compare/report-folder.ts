import { copyFile, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../usage-error.ts';
import { userPath } from '../user-paths.ts';

/** Where `lab k6` writes its summaries unless told otherwise. */
const DEFAULT_K6_RESULTS = 'results/k6';

/** `reports/2026-11-22T03-45-12`: sortable, and free of the colons some file systems refuse. */
export const timestampFolder = (date: Date): string =>
  join('reports', date.toISOString().replace(/:/g, '-').replace(/\..*$/, ''));

/** Refuses (before anything runs) to write into a folder that already holds something, unless forced. */
export const checkOutputFolder = async (dir: string, force: boolean): Promise<void> => {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new UsageError(`--out ${dir} is a file, not a folder`);
    throw error;
  }
  if (entries.length > 0 && !force) {
    throw new UsageError(
      `output folder ${dir} already exists and is not empty (${entries.slice(0, 3).join(', ')}${entries.length > 3 ? ', …' : ''}); ` +
        'choose another --out, or add --force to replace the report files in it',
    );
  }
};

/** Copies the k6 summaries from `from` into `<out>/k6`, so that the report folder stands on its own. */
export const copyK6Summaries = async (from: string, out: string): Promise<number> => {
  let names: string[];
  try {
    names = (await readdir(from)).filter((name) => name.endsWith('.json'));
  } catch {
    throw new UsageError(`--k6 ${from}: no such folder (it should hold the JSON summaries k6 runs wrote)`);
  }
  await mkdir(join(out, 'k6'), { recursive: true });
  await Promise.all(names.map((name) => copyFile(join(from, name), join(out, 'k6', name))));
  return names.length;
};

/**
 * The note to print when `lab k6` has left summaries in its default folder that this report does
 * not include (no --k6), so that old results are neither mixed in silently nor forgotten.
 */
export const unusedK6SummariesNote = async (): Promise<string | undefined> => {
  const k6Results = userPath(DEFAULT_K6_RESULTS);
  const found = await readdir(k6Results).then(
    (names) => names.filter((name) => name.endsWith('.json')).length,
    () => 0,
  );
  return found > 0
    ? `${found} k6 summaries are in ${k6Results}; add --k6 ${DEFAULT_K6_RESULTS} to include them in the report.`
    : undefined;
};
