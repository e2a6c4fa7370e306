import { describe, expect, it } from 'vitest';
import { chartSpecs, type ReportDocument, readReportFile, renderSvg, summarizeReport } from '../src/index.ts';
import { FIXTURE_REPORT, FIXTURE_REPORT_V1 } from './report-fixture.ts';

const timelineOf = async (report: ReportDocument, scenario: string) => {
  const chart = chartSpecs(summarizeReport(report)).find((c) => c.id === `timeline-${scenario}`);
  if (!chart) throw new Error(`no timeline chart for ${scenario}`);
  return { chart, ...(await renderSvg(chart.spec, 'test')) };
};

describe('the latency-over-time chart', () => {
  it('shades nothing and says so when no fault was run', async () => {
    const { report } = await readReportFile(FIXTURE_REPORT);
    const { chart, svg, warnings } = await timelineOf(report, 'flash-sale');
    expect(warnings).toEqual([]);
    expect(chart.caption).toContain('No fault was run, so nothing is shaded.');
    expect(svg).not.toContain('mark-rect');
  });

  it('shades the window of a fault that a run recorded, behind its points', async () => {
    const { report } = await readReportFile(FIXTURE_REPORT);
    const runs = report.runs.map((run, i) =>
      i === 0 && run.timeline
        ? { ...run, timeline: { ...run.timeline, faults: [{ name: 'kill-postgres', fromMs: 10, toMs: 30 }] } }
        : run,
    );
    const scenario = report.runs[0]?.result.scenario ?? '';
    const { chart, svg, warnings } = await timelineOf({ ...report, runs }, scenario);
    expect(warnings).toEqual([]);
    expect(chart.caption).toContain('Shaded: the windows in which a fault was active.');
    expect(svg.match(/<path aria-label="[^"]*kill-postgres/g)).toHaveLength(1);
    expect(svg.indexOf('mark-rect')).toBeLessThan(svg.indexOf('mark-symbol role-mark'));
  });

  it('is left out for a format 1 report, which recorded no operations', async () => {
    const { report } = await readReportFile(FIXTURE_REPORT_V1);
    const ids = chartSpecs(summarizeReport(report)).map((c) => c.id);
    expect(ids).toEqual(['throughput', 'latency', 'violations', 'contention', 'lock-waits']);
  });
});
