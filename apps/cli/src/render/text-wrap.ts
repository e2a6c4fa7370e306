/** The width every table and paragraph of the CLI fits in. */
export const TERMINAL_WIDTH = 100;

/**
 * Wraps `text` at spaces so that no line is wider than `width` (escape codes of colours not
 * counted), keeping its own spacing and indenting the lines after the first by `hang` spaces; a
 * word longer than a line is cut.
 */
export const wrapText = (text: string, width = TERMINAL_WIDTH, hang = 0): string => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes are exactly what is skipped.
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;
  const lines: string[] = [];
  let rest = text;
  while (visible(rest) > width - (lines.length > 0 ? hang : 0)) {
    const room = width - (lines.length > 0 ? hang : 0);
    // The last space that keeps the visible part within the room (found on the raw text).
    let cut = -1;
    for (let i = 0, seen = 0; i < rest.length && seen <= room; i++) {
      if (rest[i] === '\x1b') {
        i = rest.indexOf('m', i);
        continue;
      }
      if (rest[i] === ' ' && seen > 0) cut = i;
      seen++;
    }
    if (cut <= 0) cut = room;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines.map((line, i) => (i > 0 ? ' '.repeat(hang) + line : line)).join('\n');
};
