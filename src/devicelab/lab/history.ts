/**
 * The nightly's history in the results database (tables `lab_runs` and
 * `lab_cells`, created by the store's migration 2). One row per run per cell,
 * UNIQUE (night, model, precision, device, run), each written in its own
 * transaction as soon as it is measured; failure rows are rows too. A re-run
 * of a night keeps the final rows (ok, rejected) and replaces the others.
 */
import type Database from 'better-sqlite3';
import type { ResultsStore } from '../store/results.js';

export type LabRunStatus = 'ok' | 'rejected' | 'throttled' | 'failed' | 'not_run' | 'error';

export interface CellKey {
  night: string;
  model: string;
  precision: string;
  device: string;
}

export interface LabRunRow extends CellKey {
  run: number;
  status: LabRunStatus;
  error: string | null;
  run_id: number | null;
  model_sha256: string | null;
  started_at: string;
  median_us: number | null;
  avg_us: number | null;
  min_us: number | null;
  max_us: number | null;
  std_us: number | null;
  p95_us: number | null;
  init_us: number | null;
  first_us: number | null;
  mem_mb: number | null;
  delegated_nodes: number | null;
  total_nodes: number | null;
  partitions: number | null;
  /** JSON: [{ medianUs, reason }] of attempts discarded before this one (throttled) */
  discarded: string | null;
  health_before: string | null;
  health_after: string | null;
  simulated: 0 | 1;
}

const RUN_COLUMNS: Array<keyof LabRunRow> = [
  'night', 'model', 'precision', 'device', 'run', 'status', 'error', 'run_id', 'model_sha256', 'started_at', 'median_us', 'avg_us', 'min_us',
  'max_us', 'std_us', 'p95_us', 'init_us', 'first_us', 'mem_mb', 'delegated_nodes', 'total_nodes', 'partitions', 'discarded', 'health_before',
  'health_after', 'simulated',
];

/** Statuses a re-run of the night keeps. */
export const FINAL_RUN_STATUSES: ReadonlySet<LabRunStatus> = new Set(['ok', 'rejected']);

export interface StoredCell extends CellKey {
  verdict: string;
  summary: string;
}

export class LabHistory {
  private readonly db: Database.Database;
  private readonly upsertRun: Database.Statement;
  private readonly upsertCell: Database.Statement;

  constructor(store: ResultsStore) {
    this.db = store.connection;
    const updates = RUN_COLUMNS.filter((c) => !['night', 'model', 'precision', 'device', 'run'].includes(c)).map((c) => `${c} = excluded.${c}`);
    // a final row is never overwritten; a failure row is replaced by tonight's new attempt
    this.upsertRun = this.db.prepare(
      `INSERT INTO lab_runs (${RUN_COLUMNS.join(', ')}) VALUES (${RUN_COLUMNS.map((c) => `@${c}`).join(', ')})
       ON CONFLICT (night, model, precision, device, run) DO UPDATE SET ${updates.join(', ')} WHERE lab_runs.status NOT IN ('ok', 'rejected')`,
    );
    this.upsertCell = this.db.prepare(
      `INSERT INTO lab_cells (night, model, precision, device, verdict, summary, updated_at) VALUES (@night, @model, @precision, @device, @verdict, @summary, @updated_at)
       ON CONFLICT (night, model, precision, device) DO UPDATE SET verdict = excluded.verdict, summary = excluded.summary, updated_at = excluded.updated_at`,
    );
  }

  /** Store one run (its own transaction). */
  putRun(row: LabRunRow): void {
    this.db.transaction((r: LabRunRow) => this.upsertRun.run(r))(row);
  }

  putCell(key: CellKey, verdict: string, summary: unknown): void {
    this.upsertCell.run({ ...key, verdict, summary: JSON.stringify(summary), updated_at: new Date().toISOString() });
  }

  /** Tonight's rows of a cell, by run index. */
  runs(key: CellKey): LabRunRow[] {
    return this.db
      .prepare('SELECT * FROM lab_runs WHERE night = @night AND model = @model AND precision = @precision AND device = @device ORDER BY run')
      .all(key) as LabRunRow[];
  }

  /** Rows of a cell over several nights. */
  runsOfNights(cell: Omit<CellKey, 'night'>, nights: readonly string[]): LabRunRow[] {
    if (nights.length === 0) return [];
    return this.db
      .prepare(`SELECT * FROM lab_runs WHERE model = ? AND precision = ? AND device = ? AND night IN (${nights.map(() => '?').join(', ')}) ORDER BY night, run`)
      .all(cell.model, cell.precision, cell.device, ...nights) as LabRunRow[];
  }

  /** Stored cells before `night` (newest first). */
  cellsBefore(cell: Omit<CellKey, 'night'>, night: string, limit = 1000): StoredCell[] {
    return this.db
      .prepare('SELECT night, model, precision, device, verdict, summary FROM lab_cells WHERE model = ? AND precision = ? AND device = ? AND night < ? ORDER BY night DESC LIMIT ?')
      .all(cell.model, cell.precision, cell.device, night, limit) as StoredCell[];
  }

  /** Every stored cell of a night. */
  cellsOfNight(night: string): StoredCell[] {
    return this.db.prepare('SELECT night, model, precision, device, verdict, summary FROM lab_cells WHERE night = ? ORDER BY model, precision, device').all(night) as StoredCell[];
  }

  /** The night before `night` that has stored cells. */
  previousNight(night: string): string | undefined {
    return (this.db.prepare('SELECT MAX(night) AS n FROM lab_cells WHERE night < ?').get(night) as { n: string | null }).n ?? undefined;
  }

  /** A model's cells over all nights (for `mai lab history`), oldest first. */
  series(model: string, filter: { precision?: string; device?: string } = {}): StoredCell[] {
    const where = ['model = @model'];
    if (filter.precision) where.push('precision = @precision');
    if (filter.device) where.push('device = @device');
    return this.db
      .prepare(`SELECT night, model, precision, device, verdict, summary FROM lab_cells WHERE ${where.join(' AND ')} ORDER BY precision, device, night`)
      .all({ model, ...filter }) as StoredCell[];
  }

  /** Number of stored run rows (all nights). */
  countRuns(night?: string): number {
    return (night
      ? (this.db.prepare('SELECT COUNT(*) AS n FROM lab_runs WHERE night = ?').get(night) as { n: number })
      : (this.db.prepare('SELECT COUNT(*) AS n FROM lab_runs').get() as { n: number })
    ).n;
  }
}
