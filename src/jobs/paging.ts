/** The rows of a table a job reads: the table and an optional filter with its parameters. */
export interface RowSelection {
  table: string;
  where?: string;
  params?: readonly (string | number)[];
}

/** How many rows `selection` holds, counted before reading them. */
export async function countRows(db: D1Database, selection: RowSelection): Promise<number> {
  const filter = selection.where ? `(${selection.where})` : '1';
  const row = await db
    .prepare(`SELECT COUNT(*) AS n FROM ${selection.table} WHERE ${filter}`)
    .bind(...(selection.params ?? []))
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/**
 * Reads a D1 table page by page in primary-key order (keyset pagination), handing each page of
 * raw rows to `onPage`; only one page is held at a time. `keyColumns` is the primary key, and
 * the first `keyColumns.length` selected columns must be those columns in that order.
 */
export async function forEachPage(
  db: D1Database,
  options: RowSelection & {
    columns: readonly string[];
    keyColumns: readonly string[];
    pageSize?: number;
  },
  onPage: (rows: unknown[][]) => void,
): Promise<number> {
  const { table, columns, keyColumns, pageSize = 5_000 } = options;
  const filter = options.where ? `(${options.where})` : '1';
  const order = keyColumns.join(', ');
  const tuple = `(${keyColumns.join(', ')})`;
  const placeholders = `(${keyColumns.map(() => '?').join(', ')})`;
  const select = `SELECT ${columns.join(', ')} FROM ${table}`;

  let total = 0;
  let after: unknown[] | null = null;
  for (;;) {
    const sql: string =
      after === null
        ? `${select} WHERE ${filter} ORDER BY ${order} LIMIT ?`
        : `${select} WHERE ${filter} AND ${tuple} > ${placeholders} ORDER BY ${order} LIMIT ?`;
    const params: (string | number | unknown)[] = [
      ...(options.params ?? []),
      ...(after ?? []),
      pageSize,
    ];
    const rows: unknown[][] = await db
      .prepare(sql)
      .bind(...params)
      .raw();
    if (rows.length === 0) break;
    onPage(rows);
    total += rows.length;
    if (rows.length < pageSize) break;
    after = (rows[rows.length - 1] as unknown[]).slice(0, keyColumns.length);
  }
  return total;
}
