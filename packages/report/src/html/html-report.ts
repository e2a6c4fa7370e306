import { summarizeReport } from '../cell-summary.ts';
import type { RenderOptions } from '../render-options.ts';
import type { ReportDocument } from '../report-schema.ts';
import { REPORT_TITLE } from '../report-sections.ts';
import { chartsSection } from './chart-figures.ts';
import { htmlPage } from './html-page.ts';
import {
  columnsSection,
  detailsSection,
  environmentSection,
  errorsSection,
  glanceSection,
  httpSection,
  labsSection,
  PAGE_FOOTER,
  pageHeader,
  readingSection,
} from './html-sections.ts';
import { k6Section } from './k6-table.ts';
import { recommendationSection } from './recommendation-section.ts';

/**
 * report.html: one self-contained page (inline CSS, charts as inline SVG rendered here with
 * vega-lite, no scripts, no fonts, nothing fetched; its Content-Security-Policy forbids loading
 * anything) with the same tables as report.md and one chart per cost.
 */
export const renderHtmlReport = async (report: ReportDocument, options: RenderOptions): Promise<string> => {
  const matrix = summarizeReport(report);
  const sections = [
    pageHeader(report, matrix),
    glanceSection(matrix, options),
    readingSection(report, matrix),
    errorsSection(report),
    httpSection(matrix),
    recommendationSection(report, matrix, options),
    await chartsSection(matrix, options),
    detailsSection(report, matrix, options),
    columnsSection(),
    labsSection(report, matrix, options),
    k6Section(options),
    environmentSection(report),
    PAGE_FOOTER,
  ];
  return htmlPage(REPORT_TITLE, sections.join('\n'));
};
