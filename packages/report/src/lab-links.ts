import { relative, sep } from 'node:path';

/**
 * The relative URL from a report folder to the folder that holds the labs (from `reports/<timestamp>`
 * of a checkout: two folders up, then `labs`), so that the links in report.md and report.html work
 * when the folder is opened where it was written, in a browser or on a forge. Relative, not absolute,
 * because report folders get zipped and committed. The writer of the report says where the labs are:
 * this package does not know where it sits in the repository.
 */
export const labsHrefFrom = (reportDir: string, labsDir: string): string =>
  relative(reportDir, labsDir).split(sep).join('/') || '.';

/** The link to a lab's README. */
export const labReadmeHref = (labsHref: string, lab: string): string =>
  `${labsHref}/${encodeURIComponent(lab)}/README.md`;
