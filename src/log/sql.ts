/**
 * D1 binds at most 100 parameters per statement; multi-row statements are cut below that.
 */
export const MAX_BOUND_PARAMETERS = 100;

/**
 * One prepared statement per chunk of rows: `head` is the statement up to VALUES, `tail`
 * follows the value tuples (an ON CONFLICT clause, say). Every row has the same width.
 */
export function multiRowStatements(
  db: D1Database,
  head: string,
  tail: string,
  rows: readonly (readonly (string | number)[])[],
): D1PreparedStatement[] {
  if (rows.length === 0) return [];
  const width = rows[0]?.length ?? 1;
  const perStatement = Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / width));
  const tuple = `(${Array.from({ length: width }, () => '?').join(', ')})`;

  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    const chunk = rows.slice(i, i + perStatement);
    const sql = `${head} VALUES ${chunk.map(() => tuple).join(', ')} ${tail}`;
    statements.push(db.prepare(sql).bind(...chunk.flat()));
  }
  return statements;
}

/** `IN (?, ?, ...)` lookups, chunked under the parameter limit. */
export async function selectIn<T>(
  db: D1Database,
  query: (placeholders: string) => string,
  values: readonly string[],
): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += MAX_BOUND_PARAMETERS) {
    const chunk = values.slice(i, i + MAX_BOUND_PARAMETERS);
    const sql = query(chunk.map(() => '?').join(', '));
    const { results } = await db
      .prepare(sql)
      .bind(...chunk)
      .all<T>();
    out.push(...results);
  }
  return out;
}
