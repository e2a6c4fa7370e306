import { relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's labs folder, found from this file so that it works from any working directory. */
export const LABS_DIR = fileURLToPath(new URL('../../../labs', import.meta.url));

/**
 * The relative URL from a report folder to the labs folder (e.g. `../../labs`), so that the links
 * in report.md and report.html work when the folder is opened where it was written, in a browser or
 * on a forge. Relative, not absolute, because report folders get zipped and committed.
 */
export const labsHrefFrom = (reportDir: string, labsDir = LABS_DIR): string =>
  relative(reportDir, labsDir).split(sep).join('/') || '.';

/** The link to a lab's README. */
export const labReadmeHref = (labsHref: string, lab: string): string =>
  `${labsHref}/${encodeURIComponent(lab)}/README.md`;
