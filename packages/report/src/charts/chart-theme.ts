/** Colours shared by the page and its charts: a verdict reads the same everywhere. */
export const VERDICT_COLOURS = { SAFE: '#2e7d4f', UNSAFE: '#c62828', UNKNOWN: '#a15c00' } as const;

/** The page's type: system fonts only, since the page loads nothing. */
export const FONT = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', 'Liberation Sans', sans-serif";
/** Text colour of the page and of the charts' labels. */
export const INK = '#1f2933';
/** Secondary text: captions, axis titles, notes. */
export const MUTED = '#52606d';

/** The vega-lite config every chart shares: the page's font and colours, legends on top. */
export const CHART_CONFIG = {
  font: FONT,
  background: 'white',
  view: { stroke: null },
  axis: {
    labelColor: INK,
    titleColor: MUTED,
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 'normal' as const,
    gridColor: '#e4e7eb',
    domainColor: '#9aa5b1',
    tickColor: '#9aa5b1',
  },
  header: { labelFontSize: 13, labelFontWeight: 'bold' as const, labelColor: INK, labelPadding: 6 },
  legend: {
    labelFontSize: 11,
    titleFontSize: 11,
    titleColor: MUTED,
    labelColor: INK,
    orient: 'top' as const,
  },
  facet: { spacing: 28 },
};
