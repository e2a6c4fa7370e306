/** Lays rows out in aligned columns; the first row is the header, underlined. */
export const textTable = (rows: ReadonlyArray<ReadonlyArray<string | number>>, indent = ''): string => {
  const cells = rows.map((row) => row.map(String));
  const widths = cells.reduce<number[]>(
    (w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, [...cell].length)),
    [],
  );
  const line = (row: string[]) =>
    indent +
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length),
      )
      .join('  ');
  const [header, ...body] = cells;
  if (!header) return '';
  return [line(header), indent + widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
};
