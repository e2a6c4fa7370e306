import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** An SVG chart and what vega-lite had to say while compiling it (a warning is a spec to fix). */
export interface RenderedSvg {
  readonly svg: string;
  readonly warnings: readonly string[];
}

/**
 * Renders a vega-lite spec to an SVG string in Node, without a browser or canvas. `idPrefix` is put
 * in front of every id the SVG defines (vega names its clip paths clip1, clip2, … in every chart),
 * so that several charts inlined in one page never point at each other's clip paths.
 */
export const renderSvg = async (spec: TopLevelSpec, idPrefix: string): Promise<RenderedSvg> => {
  const warnings: string[] = [];
  // Collected instead of printed: a report command's output should be the report, not vega's notes.
  const logger = vega.logger(vega.Warn, undefined, (_method, _level, input) => {
    warnings.push(input.map(String).join(' '));
  });
  const view = new vega.View(vega.parse(compile(spec, { logger }).spec), { renderer: 'none', logger });
  try {
    const svg = await view.toSVG();
    return {
      svg: svg
        .replace(/\bid="([^"]+)"/g, `id="${idPrefix}-$1"`)
        .replace(/url\(#([^)]+)\)/g, `url(#${idPrefix}-$1)`)
        .replace(/href="#([^"]+)"/g, `href="#${idPrefix}-$1"`),
      warnings,
    };
  } finally {
    view.finalize();
  }
};
