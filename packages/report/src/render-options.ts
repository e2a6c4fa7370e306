import type { K6Summaries } from './k6-summary.ts';

/** What a rendering needs beyond report.json. */
export interface RenderOptions {
  /**
   * Relative URL from the report folder to the folder that holds each lab's own folder and README
   * (`<labsHref>/<lab>/README.md`; see labsHrefFrom). Without it, lab names are plain text.
   */
  readonly labsHref?: string;
  /** k6 summaries found beside the report, if any. */
  readonly k6?: K6Summaries;
  /** Told about every warning vega-lite gives while rendering a chart (tests fail on them). */
  readonly onChartWarning?: (message: string) => void;
}
