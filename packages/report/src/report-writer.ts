import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderHtmlReport } from './html/html-report.ts';
import { type K6Summaries, readK6Summaries } from './k6-summary.ts';
import { labsHrefFrom } from './lab-links.ts';
import { renderMarkdownReport } from './markdown/markdown-report.ts';
import { REPORT_FILES } from './report-file.ts';
import type { ReportDocument } from './report-schema.ts';

export interface WritePagesOptions {
  /** Folders of k6 summaries to include (default: `<dir>/k6`); missing folders are skipped. */
  readonly k6Folders?: readonly string[];
  /**
   * The folder that holds each lab's folder with its README (`<labsDir>/<lab>/README.md`); the pages
   * link to them relative to `dir`. Without it, lab names are not links.
   */
  readonly labsDir?: string;
  /** Told about every warning vega-lite gives while rendering a chart. */
  readonly onChartWarning?: (message: string) => void;
}

export interface WrittenPages {
  readonly markdown: string;
  readonly html: string;
  readonly k6: K6Summaries;
}

/** Writes report.json into `dir` (created when missing), formatted for people who diff it. */
export const writeReportJson = async (dir: string, report: ReportDocument): Promise<string> => {
  await mkdir(dir, { recursive: true });
  const file = join(dir, REPORT_FILES.json);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
};

/** Builds report.md and report.html in `dir` from the report and any k6 summaries found; returns their paths. */
export const writeReportPages = async (
  dir: string,
  report: ReportDocument,
  options: WritePagesOptions = {},
): Promise<WrittenPages> => {
  const k6 = await readK6Summaries(
    options.k6Folders ?? [join(dir, 'k6')],
    report.labs.map((lab) => lab.name),
  );
  const render = {
    ...(options.labsDir === undefined ? {} : { labsHref: labsHrefFrom(dir, options.labsDir) }),
    k6,
    ...(options.onChartWarning ? { onChartWarning: options.onChartWarning } : {}),
  };
  const markdown = join(dir, REPORT_FILES.markdown);
  const html = join(dir, REPORT_FILES.html);
  await mkdir(dir, { recursive: true });
  await writeFile(markdown, renderMarkdownReport(report, render));
  await writeFile(html, await renderHtmlReport(report, render));
  return { markdown, html, k6 };
};
