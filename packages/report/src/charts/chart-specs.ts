import type { ReportMatrix } from '../cell-summary.ts';
import { type ChartSpec, chartFrame } from './chart-frame.ts';
import { contentionChart } from './contention-chart.ts';
import { latencyChart } from './latency-chart.ts';
import { lockWaitsChart } from './lock-waits-chart.ts';
import { throughputChart } from './throughput-chart.ts';
import { violationsChart } from './violations-chart.ts';

/** The charts of the page, in the order it shows them. */
const CHARTS = [throughputChart, latencyChart, violationsChart, contentionChart, lockWaitsChart];

/**
 * The charts of the report, one spec each, faceted by scenario. Every chart marks unsafe cells in
 * red and with the word UNSAFE, so that no chart can be read as "fast, therefore good" by mistake.
 */
export const chartSpecs = (matrix: ReportMatrix, width = 1280): ChartSpec[] => {
  const frame = chartFrame(matrix, width);
  return CHARTS.map((chart) => chart(matrix.cells, frame)).map((chart) => ({
    ...chart,
    caption: chart.caption.replace(/\s+/g, ' '),
  }));
};
