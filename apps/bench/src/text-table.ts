/** Rows as aligned columns, the first row a header. */
export const textTable = (rows: ReadonlyArray<ReadonlyArray<string | number>>): string => {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => String(row[i] ?? '').length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((c, i) => String(c).padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
};
