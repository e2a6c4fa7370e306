export type { Cell, CellVerdict, CellViolation, LabRow, ReportMatrix, Spread } from './cell-summary.ts';
export { rowOf, spreadOf, summarizeReport } from './cell-summary.ts';
export type { ChartSpec } from './chart-specs.ts';
export { chartSpecs, VERDICT_COLOURS } from './chart-specs.ts';
export type { ProbeOptions } from './environment-probe.ts';
export { postgresVersion, probeEnvironment, redisInfoVersion, redisVersion } from './environment-probe.ts';
export { escapeHtml, renderHtmlReport } from './html-report.ts';
export type { K6Problem, K6Run } from './k6-summary.ts';
export { K6_LAB_SUMMARY_FORMAT, k6Details, k6RunFrom, k6Verdict, readK6Summaries } from './k6-summary.ts';
export { LABS_DIR, labReadmeHref, labsHrefFrom } from './lab-links.ts';
export type { RenderOptions } from './markdown-report.ts';
export {
  expectedText,
  K6_COLUMNS,
  k6ResultText,
  matrixCellText,
  renderMarkdownReport,
} from './markdown-report.ts';
export { countOf, formatCount, formatMs, formatShare } from './number-format.ts';
export type { ReportColumn } from './report-columns.ts';
export {
  DETAIL_COLUMNS,
  failText,
  formatNumber,
  formatSpread,
  topViolationsText,
  VERDICT_TEXT,
  verdictText,
  violationsText,
} from './report-columns.ts';
export { parseReportDocument, REPORT_FILES, ReportFileError, readReportFile } from './report-file.ts';
export { readReport } from './report-reading.ts';
export type {
  LabInfo,
  ReportDocument,
  ReportEnvironment,
  ReportRun,
  ReportSettings,
  RunError,
  RunJson,
  ScenarioInfo,
} from './report-schema.ts';
export { REPORT_FORMAT, REPORT_VERSION, reportDocumentSchema, runJsonSchema } from './report-schema.ts';
export type { WritePagesOptions, WrittenPages } from './report-writer.ts';
export { writeReportJson, writeReportPages } from './report-writer.ts';
export { renderSvg } from './svg-charts.ts';
