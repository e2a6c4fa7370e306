import { labReadmeHref } from '../lab-links.ts';
import type { RenderOptions } from '../render-options.ts';

/** Escapes what would break a Markdown table cell. */
export const cellText = (text: string): string =>
  text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** A Markdown table; `numeric` columns are right-aligned. Row cells are taken as they are (escape them first). */
export const table = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly boolean[],
): string =>
  [
    `| ${header.map(cellText).join(' | ')} |`,
    `|${numeric.map((n) => (n ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ].join('\n');

/** `label`, linked to the lab's README when the page knows where the READMEs are. */
export const labLink = (options: RenderOptions, lab: string, label = lab): string =>
  options.labsHref === undefined
    ? cellText(label)
    : `[${cellText(label)}](${labReadmeHref(options.labsHref, lab)})`;
