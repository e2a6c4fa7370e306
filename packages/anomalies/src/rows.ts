import type { Row } from './anomaly-spec.ts';

type Cell = Row[string];

/** A value as the spec files write it: numbers, text, booleans and null stay; the rest becomes text. */
export const cellFrom = (value: unknown): Cell => {
  if (value === null || value === undefined) return null;
  if (['string', 'number', 'boolean'].includes(typeof value)) return value as Cell;
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

/** A row of node-postgres, with every value made comparable (see cellFrom). */
export const rowFrom = (row: Readonly<Record<string, unknown>>): Row =>
  Object.fromEntries(Object.entries(row).map(([column, value]) => [column, cellFrom(value)]));

// Compared as text: Postgres sends bigint and numeric as strings, YAML reads 10 as a number.
const asText = (cell: Cell | undefined): string | null =>
  cell === null || cell === undefined ? null : String(cell);

/** The same columns with the same values, row by row, in the same order. */
export const sameRows = (actual: readonly Row[], expected: readonly Row[]): boolean =>
  actual.length === expected.length &&
  actual.every((row, index) => {
    const other = expected[index] ?? {};
    const columns = Object.keys(row);
    return (
      columns.length === Object.keys(other).length &&
      columns.every((column) => column in other && asText(row[column]) === asText(other[column]))
    );
  });

/** Rows for people: "(id=1, balance=10), (id=2, balance=20)", or "no rows". */
export const formatRows = (rows: readonly Row[]): string =>
  rows.length === 0
    ? 'no rows'
    : rows
        .map(
          (row) =>
            `(${Object.entries(row)
              .map(([column, cell]) => `${column}=${asText(cell) ?? 'null'}`)
              .join(', ')})`,
        )
        .join(', ');
