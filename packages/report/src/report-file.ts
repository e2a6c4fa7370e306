import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import {
  READABLE_REPORT_VERSIONS,
  REPORT_FORMAT,
  type ReportDocument,
  reportDocumentSchema,
} from './report-schema.ts';

/** The files a report folder holds; `report.json` is the source, the others are rebuilt from it. */
export const REPORT_FILES = {
  json: 'report.json',
  markdown: 'report.md',
  html: 'report.html',
} as const;

/** A report.json that cannot be used; the message names the file and what is wrong with it. */
export class ReportFileError extends Error {
  override readonly name = 'ReportFileError';
  /** The file the problem is about. */
  readonly file: string;
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.file = file;
  }
}

const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>(
    (text, key) =>
      typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key),
    '',
  ) || '(top level)';

/** At most a few issues, each as `where: what`, so a badly broken file still gives a short message. */
const describeIssues = (error: z.ZodError, shown = 5): string => {
  const lines = error.issues.slice(0, shown).map((issue) => `  ${pathText(issue.path)}: ${issue.message}`);
  const more = error.issues.length > shown ? [`  … and ${error.issues.length - shown} more problems`] : [];
  return [...lines, ...more].join('\n');
};

/** Validates parsed JSON as a report; throws ReportFileError naming `file` and each problem found. */
export const parseReportDocument = (data: unknown, file: string): ReportDocument => {
  if (typeof data === 'object' && data !== null && (data as { format?: unknown }).format !== REPORT_FORMAT) {
    const format = (data as { format?: unknown }).format;
    throw new ReportFileError(
      file,
      `not a comparison report (expected "format": "${REPORT_FORMAT}", found ${format === undefined ? 'no "format" field' : JSON.stringify(format)}); ` +
        'report.json files are written by `lab compare`',
    );
  }
  const version =
    typeof data === 'object' && data !== null ? (data as { version?: unknown }).version : undefined;
  if (typeof version === 'number' && !(READABLE_REPORT_VERSIONS as readonly number[]).includes(version)) {
    throw new ReportFileError(
      file,
      `written in report format version ${version}; this lab reads versions ${READABLE_REPORT_VERSIONS.join(' and ')}` +
        (version > Math.max(...READABLE_REPORT_VERSIONS)
          ? ' (it comes from a newer lab: update this checkout)'
          : ''),
    );
  }
  const parsed = reportDocumentSchema.safeParse(data);
  if (!parsed.success) {
    throw new ReportFileError(file, `not a valid comparison report:\n${describeIssues(parsed.error)}`);
  }
  return parsed.data;
};

/**
 * Reads and validates a report: `path` is a report folder (its report.json is read) or the file
 * itself. Throws ReportFileError for a missing, unreadable, non-JSON or wrongly shaped file.
 */
export const readReportFile = async (path: string): Promise<{ file: string; report: ReportDocument }> => {
  let file = path;
  try {
    if ((await stat(path)).isDirectory()) file = join(path, REPORT_FILES.json);
  } catch {
    // A missing path is reported below, by the read that names it.
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'no such file (a report folder holds the report.json that `lab compare` wrote)'
        : `cannot be read (${(error as Error).message})`;
    throw new ReportFileError(file, problem);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReportFileError(file, `not valid JSON (${(error as Error).message})`);
  }
  return { file, report: parseReportDocument(data, file) };
};
