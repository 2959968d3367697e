/**
 * The nightly's history in the results database (tables `lab_runs` and
 * `lab_cells`, created by the store's migration 2). One row per run per cell,
 * UNIQUE (night, model, precision, device, run), each written in its own
 * transaction (with its deploy row) as soon as it is measured; failure rows
 * are rows too. SQLite or PostgreSQL, the same statements (store/sql.ts). A re-run
 * of a night keeps the final rows (ok, rejected) and replaces the others.
 */
import { insertRun, type ResultsStore, type RunRow } from '../store/results.js';
import { listParams, type SqlConnection, type SqlParams } from '../store/sql.js';

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
  /** the host whose worker made the run (the multi-host lab); null on a single host */
  worker: string | null;
}

const RUN_COLUMNS: Array<keyof LabRunRow> = [
  'night', 'model', 'precision', 'device', 'run', 'status', 'error', 'run_id', 'model_sha256', 'started_at', 'median_us', 'avg_us', 'min_us',
  'max_us', 'std_us', 'p95_us', 'init_us', 'first_us', 'mem_mb', 'delegated_nodes', 'total_nodes', 'partitions', 'discarded', 'health_before',
  'health_after', 'simulated', 'worker',
];

/** Statuses a re-run of the night keeps. */
export const FINAL_RUN_STATUSES: ReadonlySet<LabRunStatus> = new Set(['ok', 'rejected']);

export interface StoredCell extends CellKey {
  verdict: string;
  summary: string;
}

export class LabHistory {
  private readonly sql: SqlConnection;
  private readonly upsertRun: string;

  constructor(store: ResultsStore) {
    this.sql = store.sql;
    const updates = RUN_COLUMNS.filter((c) => !['night', 'model', 'precision', 'device', 'run'].includes(c)).map((c) => `${c} = excluded.${c}`);
    // a final row is never overwritten; a failure row is replaced by tonight's new attempt
    this.upsertRun = `INSERT INTO lab_runs (${RUN_COLUMNS.join(', ')}) VALUES (${RUN_COLUMNS.map((c) => `@${c}`).join(', ')})
       ON CONFLICT (night, model, precision, device, run) DO UPDATE SET ${updates.join(', ')} WHERE lab_runs.status NOT IN ('ok', 'rejected')
       RETURNING id`;
  }

  /** Where the database is, safe to print. */
  get location(): string {
    return this.sql.location;
  }

  /**
   * Store one run in one transaction: its deploy row (when it ran) and its
   * lab row. False when the store already held a final row for it (a job that
   * ran twice): then nothing of this run is kept.
   */
  async putRun(row: LabRunRow, deploy?: RunRow): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const runId = deploy ? await insertRun(tx, deploy) : row.run_id;
      const stored = await tx.all<{ id: number }>(this.upsertRun, { ...row, run_id: runId } as unknown as SqlParams);
      if (stored.length === 0 && deploy) await tx.run('DELETE FROM runs WHERE id = @id', { id: runId });
      return stored.length > 0;
    });
  }

  async putCell(key: CellKey, verdict: string, summary: unknown): Promise<void> {
    await this.sql.run(
      `INSERT INTO lab_cells (night, model, precision, device, verdict, summary, updated_at) VALUES (@night, @model, @precision, @device, @verdict, @summary, @updated_at)
       ON CONFLICT (night, model, precision, device) DO UPDATE SET verdict = excluded.verdict, summary = excluded.summary, updated_at = excluded.updated_at`,
      { ...key, verdict, summary: JSON.stringify(summary), updated_at: new Date().toISOString() },
    );
  }

  /** Tonight's rows of a cell, by run index. */
  runs(key: CellKey): Promise<LabRunRow[]> {
    return this.sql.all<LabRunRow>('SELECT * FROM lab_runs WHERE night = @night AND model = @model AND precision = @precision AND device = @device ORDER BY run', { ...key });
  }

  /** Rows of a cell over several nights. */
  async runsOfNights(cell: Omit<CellKey, 'night'>, nights: readonly string[]): Promise<LabRunRow[]> {
    if (nights.length === 0) return [];
    const list = listParams('n', nights);
    return this.sql.all<LabRunRow>(`SELECT * FROM lab_runs WHERE model = @model AND precision = @precision AND device = @device AND night IN (${list.sql}) ORDER BY night, run`, {
      model: cell.model,
      precision: cell.precision,
      device: cell.device,
      ...list.params,
    });
  }

  /** Stored cells before `night` (newest first). */
  cellsBefore(cell: Omit<CellKey, 'night'>, night: string, limit = 1000): Promise<StoredCell[]> {
    return this.sql.all<StoredCell>(
      'SELECT night, model, precision, device, verdict, summary FROM lab_cells WHERE model = @model AND precision = @precision AND device = @device AND night < @night ORDER BY night DESC LIMIT @limit',
      { model: cell.model, precision: cell.precision, device: cell.device, night, limit },
    );
  }

  /** Every stored cell of a night. */
  cellsOfNight(night: string): Promise<StoredCell[]> {
    return this.sql.all<StoredCell>('SELECT night, model, precision, device, verdict, summary FROM lab_cells WHERE night = @night ORDER BY model, precision, device', { night });
  }

  /** The night before `night` that has stored cells. */
  async previousNight(night: string): Promise<string | undefined> {
    const [r] = await this.sql.all<{ n: string | null }>('SELECT MAX(night) AS n FROM lab_cells WHERE night < @night', { night });
    return r?.n ?? undefined;
  }

  /** A model's cells over all nights (for `mai lab history`), oldest first. */
  series(model: string, filter: { precision?: string; device?: string } = {}): Promise<StoredCell[]> {
    const where = ['model = @model'];
    if (filter.precision) where.push('precision = @precision');
    if (filter.device) where.push('device = @device');
    return this.sql.all<StoredCell>(`SELECT night, model, precision, device, verdict, summary FROM lab_cells WHERE ${where.join(' AND ')} ORDER BY precision, device, night`, { model, ...filter });
  }

  /** Number of stored run rows (all nights). */
  async countRuns(night?: string): Promise<number> {
    const [r] = night
      ? await this.sql.all<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM lab_runs WHERE night = @night', { night })
      : await this.sql.all<{ n: number }>('SELECT CAST(COUNT(*) AS INTEGER) AS n FROM lab_runs');
    return Number(r!.n);
  }
}
