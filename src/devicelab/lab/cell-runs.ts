/**
 * The runs of one cell on one device: independent `benchmark_model` processes
 * through the deploy's `deployOne` (each also a row of the deploy table with
 * the raw tool output), a throttled run discarded and run again after a
 * cool-down, every outcome stored at once: its `lab_runs` row and deploy row
 * in one transaction. Runs the store
 * already holds in a final state are skipped, so a re-run night completes.
 */
import type { Client } from '../adb/adbkit.js';
import type { DeviceEntry } from '../config/devices.js';
import { deployOne, type ModelInfo, type RunResult } from '../deploy/deploy.js';
import { coolDown } from './devices.js';
import { FINAL_RUN_STATUSES, type CellKey, type LabHistory, type LabRunRow, type LabRunStatus } from './history.js';

/** deployOne error codes that mean the device (or its adb server) is not there: the cell is NOT_RUN. */
export const DEVICE_GONE_CODES: ReadonlySet<string> = new Set(['device-not-found', 'device-not-ready', 'adb-unreachable', 'adb-no-answer']);

export interface CellRunOptions {
  client: Client;
  entry: DeviceEntry;
  model: ModelInfo;
  key: CellKey;
  /** run indexes to make (1-based) */
  runIndexes: number[];
  iterations: number;
  warmupRuns: number;
  throttleRetries: number;
  cooldownSec: number;
  history: LabHistory;
  /** the host whose worker runs the cell (multi-host lab) */
  worker?: string;
  afterRun?: (row: LabRunRow) => void;
  onRun?: () => void;
}

export interface CellRunsOutcome {
  /** the device went away: why */
  deviceGone?: string;
  rejected?: string;
  /** runs discarded as throttled tonight */
  discarded: number;
}

function emptyRow(key: CellKey, run: number, status: LabRunStatus, error: string | null, simulated: boolean, sha: string | null, worker: string | null = null): LabRunRow {
  return {
    ...key, run, status, error, run_id: null, model_sha256: sha, started_at: new Date().toISOString(), median_us: null, avg_us: null, min_us: null, max_us: null,
    std_us: null, p95_us: null, init_us: null, first_us: null, mem_mb: null, delegated_nodes: null, total_nodes: null, partitions: null, discarded: null,
    health_before: null, health_after: null, simulated: simulated ? 1 : 0, worker,
  };
}

/** Rows for runs that could not happen (device offline, build failed): stored so the night shows them. */
export async function storeMissingRuns(o: { history: LabHistory; key: CellKey; runIndexes: number[]; status: 'not_run' | 'error'; reason: string; simulated: boolean; sha?: string; worker?: string }): Promise<void> {
  const have = new Map((await o.history.runs(o.key)).map((r) => [r.run, r]));
  for (const run of o.runIndexes) {
    if (FINAL_RUN_STATUSES.has(have.get(run)?.status as LabRunStatus)) continue;
    await o.history.putRun(emptyRow(o.key, run, o.status, o.reason, o.simulated, o.sha ?? null, o.worker ?? null));
  }
}

function rowOf(key: CellKey, run: number, r: RunResult, sha: string, discarded: Array<{ medianUs: number | null; reason: string }>, worker: string | null): LabRunRow {
  const p = r.parse;
  const status: LabRunStatus = r.status === 'ok' ? (r.throttled ? 'throttled' : 'ok') : r.status === 'rejected' ? 'rejected' : 'failed';
  return {
    ...emptyRow(key, run, status, r.error ?? null, r.simulated, sha, worker),
    median_us: p?.inference?.median ?? null,
    avg_us: p?.noRuns ? null : p?.inferenceAvgUs ?? null,
    min_us: p?.inference?.min ?? null,
    max_us: p?.inference?.max ?? null,
    std_us: p?.inference?.std ?? null,
    p95_us: p?.inference?.p95 ?? null,
    init_us: p?.initUs ?? null,
    first_us: p?.firstUs ?? null,
    mem_mb: p?.memory?.peakMb ?? p?.memory?.overallMb ?? null,
    delegated_nodes: p?.delegation.replacedNodes ?? p?.delegation.gpuOps ?? null,
    total_nodes: p?.delegation.totalNodes ?? null,
    partitions: p?.delegation.partitions ?? null,
    discarded: discarded.length ? JSON.stringify(discarded) : null,
    health_before: r.healthBefore ? JSON.stringify(r.healthBefore) : null,
    health_after: r.healthAfter ? JSON.stringify(r.healthAfter) : null,
  };
}

export async function runCellRuns(o: CellRunOptions): Promise<CellRunsOutcome> {
  const have = new Map((await o.history.runs(o.key)).map((r) => [r.run, r]));
  const out: CellRunsOutcome = { discarded: 0 };
  const simulated = o.entry.adb === 'embedded';
  const pollMs = simulated ? 100 : 5000;
  for (let i = 0; i < o.runIndexes.length; i++) {
    const run = o.runIndexes[i]!;
    const prior = have.get(run);
    if (prior && FINAL_RUN_STATUSES.has(prior.status)) {
      if (prior.status === 'rejected') out.rejected = prior.error ?? 'rejected by the GPU delegate';
      o.onRun?.();
      continue;
    }
    const discarded: Array<{ medianUs: number | null; reason: string }> = [];
    let r: RunResult;
    for (let attempt = 0; ; attempt++) {
      r = await deployOne(o.client, o.entry, o.model, { runs: o.iterations, warmupRuns: o.warmupRuns, keep: true });
      if (!(r.status === 'ok' && r.throttled && attempt < o.throttleRetries)) break;
      // a phone that does not cool down in time is not run again: this run is kept as 'throttled' (excluded)
      if (!(await coolDown(o.client, o.entry, o.cooldownSec, pollMs)).cool) break;
      discarded.push({ medianUs: r.parse?.inference?.median ?? null, reason: 'throttled' });
      out.discarded++;
    }
    if (r.status === 'failed' && r.errorCode && DEVICE_GONE_CODES.has(r.errorCode)) {
      out.deviceGone = r.error ?? r.errorCode;
      await storeMissingRuns({ history: o.history, key: o.key, runIndexes: o.runIndexes.slice(i), status: 'not_run', reason: out.deviceGone, simulated, sha: o.model.sha256, worker: o.worker });
      return out;
    }
    if (r.status === 'ok' && r.throttled) out.discarded++;
    const row = rowOf(o.key, run, r, o.model.sha256, discarded, o.worker ?? null);
    // the run's deploy row and lab row in one transaction
    await o.history.putRun(row, r.row);
    o.afterRun?.(row);
    o.onRun?.();
    if (r.status === 'rejected') {
      // deterministic: the delegate refuses the same model every time
      out.rejected = r.error ?? 'rejected by the GPU delegate';
      return out;
    }
  }
  return out;
}
