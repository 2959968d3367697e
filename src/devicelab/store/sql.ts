/**
 * The one SQL interface both results backends implement: statements written
 * once with named parameters (`@name`), run on SQLite (better-sqlite3, the
 * default) or PostgreSQL (`postgres://…`, the multi-host lab). Async because
 * PostgreSQL is; a transaction sees only its own statements.
 */

export type SqlParams = Record<string, unknown>;

export interface SqlRunner {
  /** Rows of a query. */
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  /** Run a statement; the number of rows it changed. */
  run(sql: string, params?: SqlParams): Promise<number>;
}

export interface SqlConnection extends SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  /** Where the database is, safe to print (no password). */
  readonly location: string;
  /** `fn`'s statements in one transaction: all committed or none. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Apply the migrations the database has not seen (migration N brings version N − 1 to N). */
  migrate(migrations: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

/** A `--db` value that names a PostgreSQL server rather than a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** `@name` placeholders → PostgreSQL's `$n` (a name used twice keeps its number) and the values in order. */
export function positional(sql: string, params: SqlParams = {}): { text: string; values: unknown[] } {
  const order: string[] = [];
  const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_m, name: string) => {
    let i = order.indexOf(name);
    if (i < 0) i = order.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text, values: order.map((n) => params[n] ?? null) };
}

/** Named placeholders for a list (`IN (@p0, @p1)`) and their values. */
export function listParams(prefix: string, values: readonly unknown[]): { sql: string; params: SqlParams } {
  const params: SqlParams = {};
  values.forEach((v, i) => (params[`${prefix}${i}`] = v));
  return { sql: values.map((_, i) => `@${prefix}${i}`).join(', '), params };
}
