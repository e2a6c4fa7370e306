import type { ReportMatrix } from '../cell-summary.ts';
import { chartSpecs } from '../charts/chart-specs.ts';
import { renderSvg } from '../charts/svg-render.ts';
import type { RenderOptions } from '../render-options.ts';
import { escapeHtml } from './html-escape.ts';

/** The charts section: every chart rendered to inline SVG, as a figure with its title and caption. */
export const chartsSection = async (matrix: ReportMatrix, options: RenderOptions): Promise<string> => {
  const figures = await Promise.all(
    chartSpecs(matrix).map(async (chart) => {
      const { svg, warnings } = await renderSvg(chart.spec, `chart-${chart.id}`);
      for (const warning of warnings) options.onChartWarning?.(`${chart.id}: ${warning}`);
      return `<figure id="chart-${chart.id}"><h3>${escapeHtml(chart.title)}</h3><figcaption>${escapeHtml(chart.caption)}</figcaption><div class="chart" role="img" aria-label="${escapeHtml(chart.title)}">${svg}</div></figure>`;
    }),
  );
  return `<section id="charts"><h2>Correctness and cost</h2>\n${figures.join('\n')}\n</section>`;
};
