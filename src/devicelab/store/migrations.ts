/**
 * Versioned schema of the results database: migration N brings a database at
 * `PRAGMA user_version` N − 1 to N, inside one transaction. Version 1 is the
 * deploy table (`runs`); version 2 adds the nightly lab's history (`lab_runs`:
 * one row per run per cell, UNIQUE (night, model, precision, device, run);
 * `lab_cells`: one verdict per cell per night). Types PostgreSQL accepts too.
 */
import type Database from 'better-sqlite3';

export const LAB_SCHEMA = `
CREATE TABLE IF NOT EXISTS lab_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  night TEXT NOT NULL,
  model TEXT NOT NULL,
  precision TEXT NOT NULL,
  device TEXT NOT NULL,
  run INTEGER NOT NULL,
  status TEXT NOT NULL,
  error TEXT,
  run_id INTEGER REFERENCES runs(id),
  model_sha256 TEXT,
  started_at TEXT NOT NULL,
  median_us DOUBLE PRECISION,
  avg_us DOUBLE PRECISION,
  min_us DOUBLE PRECISION,
  max_us DOUBLE PRECISION,
  std_us DOUBLE PRECISION,
  p95_us DOUBLE PRECISION,
  init_us DOUBLE PRECISION,
  first_us DOUBLE PRECISION,
  mem_mb DOUBLE PRECISION,
  delegated_nodes INTEGER,
  total_nodes INTEGER,
  partitions INTEGER,
  discarded TEXT,
  health_before TEXT,
  health_after TEXT,
  simulated INTEGER NOT NULL,
  UNIQUE (night, model, precision, device, run)
);
CREATE INDEX IF NOT EXISTS lab_runs_cell ON lab_runs (model, precision, device, night);
CREATE TABLE IF NOT EXISTS lab_cells (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  night TEXT NOT NULL,
  model TEXT NOT NULL,
  precision TEXT NOT NULL,
  device TEXT NOT NULL,
  verdict TEXT NOT NULL,
  summary TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (night, model, precision, device)
);
`;

/** Run the migrations a database has not seen yet. */
export function migrate(db: Database.Database, migrations: readonly string[]): void {
  const at = Number(db.pragma('user_version', { simple: true }));
  for (let v = at; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
