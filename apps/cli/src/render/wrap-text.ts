/** The width every table and paragraph of the CLI fits in. */
export const TERMINAL_WIDTH = 100;

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes are exactly what is not counted.
const COLOUR = /\x1b\[[0-9;]*m/g;
/** Columns a string takes on a terminal: characters, colour codes not counted. */
const columns = (text: string): number => [...text.replace(COLOUR, '')].length;

/**
 * Breaks `text` at spaces into lines of at most `width` columns: the first starts with `first`, the
 * others with `rest` (a hanging indent). A word longer than a line is cut.
 */
export const wrapText = (text: string, width: number, first = '', rest = first): string[] => {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = empty ? line + word : `${line} ${word}`;
    if (columns(candidate) <= width || empty) {
      line = candidate;
      empty = false;
    } else {
      lines.push(line);
      line = rest + word;
    }
    // A hanging indent as wide as the line could never make room: such a word overflows instead.
    while (columns(line) > width && rest.length < width - 1) {
      lines.push(line.slice(0, width));
      line = rest + line.slice(width);
    }
  }
  lines.push(line);
  return lines;
};
