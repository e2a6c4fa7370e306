export type {
  Cell,
  CellCriteria,
  CellTimeline,
  CellVerdict,
  CellViolation,
  LabRow,
  ReplicaSpread,
  ReportMatrix,
  Spread,
} from './cell-summary.ts';
export { rowOf, spreadOf, summarizeReport } from './cell-summary.ts';
export {
  failText,
  topViolationsText,
  VERDICT_TEXT,
  verdictText,
  violationAmountText,
  violationCountText,
  violationsText,
  violationText,
} from './cell-text.ts';
export type { ChartSpec } from './charts/chart-frame.ts';
export { chartSpecs } from './charts/chart-specs.ts';
export { VERDICT_COLOURS } from './charts/chart-theme.ts';
export { renderSvg } from './charts/svg-render.ts';
export { escapeHtml } from './html/html-escape.ts';
export { renderHtmlReport } from './html/html-report.ts';
export {
  cellCriteriaText,
  criteriaChecksText,
  HTTP_SECTION_NOTE,
  httpCellLines,
  httpCells,
  replicaText,
} from './http-run-text.ts';
export type { K6Column } from './k6-columns.ts';
export { K6_COLUMNS, k6Details, k6FailedThresholdsText, k6ResultText, k6Verdict } from './k6-columns.ts';
export type { K6Problem, K6Run, K6Summaries } from './k6-summary.ts';
export { K6_LAB_SUMMARY_FORMAT, k6RunFrom, readK6Summaries } from './k6-summary.ts';
export { labReadmeHref, labsHrefFrom } from './lab-links.ts';
export { renderMarkdownReport } from './markdown/markdown-report.ts';
export { matrixCellText } from './markdown/markdown-sections.ts';
export {
  countOf,
  formatCount,
  formatDuration,
  formatMs,
  formatNumber,
  formatShare,
  formatSpread,
  spreadCountOf,
} from './number-format.ts';
export type { RankedStrategy, Rejection, Situation, SituationAdvice, SituationId } from './recommendation.ts';
export { cellMeasureText, RECOMMENDATION_METHOD, recommend, SITUATIONS } from './recommendation.ts';
export type { RenderOptions } from './render-options.ts';
export type { ReportColumn } from './report-columns.ts';
export { DETAIL_COLUMNS } from './report-columns.ts';
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
  Timeline,
} from './report-schema.ts';
export {
  READABLE_REPORT_VERSIONS,
  REPORT_FORMAT,
  REPORT_VERSION,
  reportDocumentSchema,
  runJsonSchema,
  TIMELINE_MAX_POINTS,
  timelineSchema,
} from './report-schema.ts';
export { expectedText } from './report-sections.ts';
export type { WritePagesOptions, WrittenPages } from './report-writer.ts';
export { readableJson, writeReportJson, writeReportPages } from './report-writer.ts';
export { timelineOf } from './run-timeline.ts';
export { unknownOutcomesText } from './unknown-outcomes-text.ts';
