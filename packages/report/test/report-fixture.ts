import { fileURLToPath } from 'node:url';

/**
 * A report.json written by a real `lab compare` (7 labs, pg-transaction at its three isolation
 * levels, so 9 rows × 2 scenarios × 2 runs, scaled to 60 operations), in the current format.
 */
export const FIXTURE_REPORT = fileURLToPath(new URL('./fixtures/report.json', import.meta.url));

/** A report.json of format 1, from before counts had units (6 labs × 2 scenarios × 2 runs): still read. */
export const FIXTURE_REPORT_V1 = fileURLToPath(new URL('./fixtures/report-v1.json', import.meta.url));

/** Two k6 summaries: k6's handleSummary form, and the flat --summary-export form named by its file. */
export const FIXTURE_K6 = fileURLToPath(new URL('./fixtures/k6', import.meta.url));

/** Where tests put what CI keeps as artifacts: the repository's test-output/ (gitignored), as .ci/run uses it. */
export const TEST_OUTPUT = fileURLToPath(new URL('../../../test-output', import.meta.url));
