/**
 * Versioned schema of the results database: migration N brings a database at
 * its version N − 1 to N, inside one transaction. Version 1 is the
 * deploy table (`runs`); version 2 adds the nightly lab's history (`lab_runs`:
 * one row per run per cell, UNIQUE (night, model, precision, device, run);
 * `lab_cells`: one verdict per cell per night); version 3 the multi-host lab;
 * version 4 its pools.
 * Types PostgreSQL accepts too (sqlite-connection.ts / pg-connection.ts apply them).
 */
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

/**
 * Version 3, the multi-host lab: which worker made each run (`lab_runs.worker`),
 * build artefacts by content hash (`lab_artifacts`: a worker on another host
 * benchmarks exactly the validated bytes), the night's built variants
 * (`lab_variants`) and the workers' heartbeats and owned devices (`lab_workers`).
 */
export const MULTIHOST_SCHEMA = `
ALTER TABLE lab_runs ADD COLUMN worker TEXT;
CREATE TABLE IF NOT EXISTS lab_artifacts (
  sha256 TEXT PRIMARY KEY,
  bytes BLOB NOT NULL,
  size INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS lab_variants (
  night TEXT NOT NULL,
  model TEXT NOT NULL,
  precision TEXT NOT NULL,
  variant TEXT NOT NULL,
  PRIMARY KEY (night, model, precision)
);
CREATE TABLE IF NOT EXISTS lab_workers (
  host TEXT PRIMARY KEY,
  devices TEXT NOT NULL,
  busy TEXT,
  heartbeat_at TEXT NOT NULL,
  stopped_at TEXT
);
`;

/**
 * Version 4, pools: phones of one kind on several hosts that share the cells
 * of a lab.yaml pool (`lab_pools`: which device is in which pool; the
 * workers read it to know which pool queues their phones take jobs from).
 */
export const POOLS_SCHEMA = `
CREATE TABLE IF NOT EXISTS lab_pools (
  pool TEXT NOT NULL,
  device TEXT NOT NULL,
  PRIMARY KEY (pool, device)
);
`;
