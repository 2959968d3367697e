/**
 * The results store: every deploy run, one row, written in its own transaction
 * (a crash loses nothing already committed and never leaves half a run).
 * SQLite through better-sqlite3 by default, PostgreSQL for a lab that spans
 * hosts; the schema is plain SQL both accept (docs/devicelab.md).
 */
import { LAB_SCHEMA, MULTIHOST_SCHEMA, POOLS_SCHEMA } from './migrations.js';
import type { PgConnectionOptions } from './pg-connection.js';
import { isPostgresUrl, type SqlConnection, type SqlParams, type SqlRunner } from './sql.js';
import { SqliteConnection } from './sqlite-connection.js';

export { DEFAULT_RESULTS_DB } from './paths.js';

/** Schema version 1 (PostgreSQL: `id BIGSERIAL PRIMARY KEY`, pg-connection.ts). */
export const RESULTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_uuid TEXT NOT NULL UNIQUE,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  host TEXT NOT NULL,
  model_path TEXT NOT NULL,
  model_name TEXT NOT NULL,
  model_sha256 TEXT NOT NULL,
  model_bytes INTEGER NOT NULL,
  precision TEXT NOT NULL,
  device_id TEXT NOT NULL,
  device_serial TEXT NOT NULL,
  device_class TEXT NOT NULL,
  device_model TEXT,
  platform TEXT,
  android_version TEXT,
  flags TEXT NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  attempts INTEGER NOT NULL,
  init_us DOUBLE PRECISION,
  first_us DOUBLE PRECISION,
  warmup_avg_us DOUBLE PRECISION,
  avg_us DOUBLE PRECISION,
  min_us DOUBLE PRECISION,
  max_us DOUBLE PRECISION,
  std_us DOUBLE PRECISION,
  p5_us DOUBLE PRECISION,
  median_us DOUBLE PRECISION,
  p95_us DOUBLE PRECISION,
  num_runs INTEGER,
  mem_init_mb DOUBLE PRECISION,
  mem_overall_mb DOUBLE PRECISION,
  mem_peak_mb DOUBLE PRECISION,
  delegation TEXT NOT NULL,
  delegated_nodes INTEGER,
  total_nodes INTEGER,
  partitions INTEGER,
  unsupported_ops TEXT,
  health_before TEXT,
  health_after TEXT,
  throttled INTEGER NOT NULL,
  simulated INTEGER NOT NULL,
  budget_status TEXT,
  budget_limit_ms DOUBLE PRECISION,
  raw_output TEXT
);
CREATE INDEX IF NOT EXISTS runs_model_device ON runs (model_sha256, device_id, started_at);
`;

export interface RunRow {
  run_uuid: string;
  started_at: string;
  finished_at: string;
  host: string;
  model_path: string;
  model_name: string;
  model_sha256: string;
  model_bytes: number;
  precision: string;
  device_id: string;
  device_serial: string;
  device_class: string;
  device_model: string | null;
  platform: string | null;
  android_version: string | null;
  flags: string;
  status: 'ok' | 'rejected' | 'failed';
  error: string | null;
  attempts: number;
  init_us: number | null;
  first_us: number | null;
  warmup_avg_us: number | null;
  avg_us: number | null;
  min_us: number | null;
  max_us: number | null;
  std_us: number | null;
  p5_us: number | null;
  median_us: number | null;
  p95_us: number | null;
  num_runs: number | null;
  mem_init_mb: number | null;
  mem_overall_mb: number | null;
  mem_peak_mb: number | null;
  delegation: string;
  delegated_nodes: number | null;
  total_nodes: number | null;
  partitions: number | null;
  unsupported_ops: string | null;
  health_before: string | null;
  health_after: string | null;
  throttled: 0 | 1;
  simulated: 0 | 1;
  budget_status: string | null;
  budget_limit_ms: number | null;
  raw_output: string | null;
}

const COLUMNS: Array<keyof RunRow> = [
  'run_uuid', 'started_at', 'finished_at', 'host', 'model_path', 'model_name', 'model_sha256', 'model_bytes', 'precision', 'device_id',
  'device_serial', 'device_class', 'device_model', 'platform', 'android_version', 'flags', 'status', 'error', 'attempts', 'init_us',
  'first_us', 'warmup_avg_us', 'avg_us', 'min_us', 'max_us', 'std_us', 'p5_us', 'median_us', 'p95_us', 'num_runs', 'mem_init_mb',
  'mem_overall_mb', 'mem_peak_mb', 'delegation', 'delegated_nodes', 'total_nodes', 'partitions', 'unsupported_ops', 'health_before',
  'health_after', 'throttled', 'simulated', 'budget_status', 'budget_limit_ms', 'raw_output',
];

/** The deploy table's insert (named parameters, both backends). */
export const INSERT_RUN = `INSERT INTO runs (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')}) RETURNING id`;

/**
 * The results database, SQLite file or PostgreSQL server (`--db postgres://…`):
 * the same schema and the same statements on both (sql.ts).
 */
export class ResultsStore {
  private constructor(readonly sql: SqlConnection) {}

  /** Open (and migrate) the database `--db` names: a SQLite file, or a PostgreSQL URL. */
  static async open(db: string, o: PgConnectionOptions = {}): Promise<ResultsStore> {
    let conn: SqlConnection;
    if (isPostgresUrl(db)) {
      const { PgConnection } = await import('./pg-connection.js');
      conn = await PgConnection.open(db, o);
    } else conn = new SqliteConnection(db);
    try {
      await conn.migrate([RESULTS_SCHEMA, LAB_SCHEMA, MULTIHOST_SCHEMA, POOLS_SCHEMA]);
    } catch (e) {
      await conn.close();
      throw e;
    }
    return new ResultsStore(conn);
  }

  /** Where the database is, safe to print. */
  get location(): string {
    return this.sql.location;
  }

  /** Store one run atomically; returns its row id. */
  async addRun(row: RunRow): Promise<number> {
    return this.sql.transaction((tx) => insertRun(tx, row));
  }

  async runs(filter: { model_sha256?: string; device_id?: string } = {}): Promise<Array<RunRow & { id: number }>> {
    const where: string[] = [];
    if (filter.model_sha256) where.push('model_sha256 = @model_sha256');
    if (filter.device_id) where.push('device_id = @device_id');
    return this.sql.all<RunRow & { id: number }>(`SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id`, filter);
  }

  close(): Promise<void> {
    return this.sql.close();
  }
}

/** Insert one deploy row inside a transaction; its id. */
export async function insertRun(tx: SqlRunner, row: RunRow): Promise<number> {
  const [r] = await tx.all<{ id: number }>(INSERT_RUN, row as unknown as SqlParams);
  return Number(r!.id);
}
