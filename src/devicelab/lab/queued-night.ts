/**
 * `mai lab nightly --db postgres://…`: the night spread over the hosts'
 * workers. Builds and validates each model × precision once here (build.ts),
 * stores each artefact by content hash, enqueues one job per cell and device
 * on the device's queue (job ids derived from the cell: enqueuing the same
 * night twice adds nothing), waits for the workers, then judges every cell and
 * writes the same report and JSON as the single-host nightly (run.ts). Cells
 * still unfinished at the deadline are NOT_RUN (device offline or timed out),
 * their jobs cancelled.
 */
import { promises as fs } from 'node:fs';
import type PgBoss from 'pg-boss';
import { inputError, isMaiError } from '../../core/errors.js';
import { loadDevices, selectDevices, type DeviceEntry } from '../config/devices.js';
import { isTransientDbError } from '../store/pg-connection.js';
import { ResultsStore } from '../store/results.js';
import { buildVariant, type BuiltVariant } from './build.js';
import { summarizeCell, type CellResult } from './cell-summary.js';
import { storeMissingRuns } from './cell-runs.js';
import { FINAL_RUN_STATUSES, LabHistory, type CellKey } from './history.js';
import { cellJobId, DEAD_LETTER_QUEUE, DEVICE_QUEUE, deviceQueue, ensureQueue, listWorkers, openBoss, putArtifact, putVariant, type CellJob } from './queue.js';
import { finishNight } from './finish-night.js';
import type { NightlyResult } from './night-result.js';
import { labBuildCache, loadLabBudgets, type NightlyOptions } from './run.js';

export interface HostProgress {
  host: string;
  done: number;
  running: number;
  waiting: number;
}

export interface QueuedNightOptions extends NightlyOptions {
  /** how long to wait for the workers, seconds */
  timeoutSec: number;
  /** a job not heartbeated for this long (its worker died) expires and runs again, seconds */
  jobExpireSec: number;
  /** pg-boss maintenance (expiry) interval, seconds */
  maintenanceSec: number;
  /** attempts of a cell job after its first */
  retryLimit: number;
  pollMs?: number;
  onHosts?: (hosts: HostProgress[]) => void;
  log?: (line: string) => void;
}

interface PlannedCell {
  key: CellKey;
  entry: DeviceEntry;
  variant: BuiltVariant;
  queue: string;
  jobId?: string;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** The devices of lab.yaml as devices.yaml names them (the workers own them; nothing is opened here). */
async function labEntries(o: QueuedNightOptions): Promise<DeviceEntry[]> {
  const all = (await loadDevices(o.devicesFile, !o.devicesFileExplicit)) ?? [];
  const out = new Map<string, DeviceEntry>();
  for (const spec of o.config.devices) {
    const found = selectDevices(all, spec);
    if (!found.length) throw inputError('unknown-device', `no device in ${o.devicesFile} has the id or tag '${spec}' (lab.yaml devices)`, { file: o.devicesFile, hint: 'a lab that spans hosts names every phone in devices.yaml, with the adb server of the host it hangs off' });
    for (const e of found) out.set(e.id, e);
  }
  return [...out.values()];
}

async function cellFinal(history: LabHistory, key: CellKey, runs: number): Promise<boolean> {
  const rows = await history.runs(key);
  if (rows.some((r) => r.status === 'rejected')) return true;
  return Array.from({ length: runs }, (_, k) => k + 1).every((run) => rows.some((r) => r.run === run && FINAL_RUN_STATUSES.has(r.status)));
}

export async function runQueuedNightly(o: QueuedNightOptions): Promise<NightlyResult> {
  const cfg = o.config;
  const log = o.log ?? (() => undefined);
  const { budgets, budgetsText } = await loadLabBudgets(cfg);
  const entries = await labEntries(o);
  const store = await ResultsStore.open(o.db, { reconnectSec: Math.max(60, o.timeoutSec), log });
  let boss: PgBoss | undefined;
  try {
    const history = new LabHistory(store);
    const pairs = cfg.models.flatMap((m) => cfg.precisions.map((p) => ({ m, p })));
    const total = pairs.length + pairs.length * entries.length;
    let built = 0;
    o.onProgress?.({ done: 0, total, label: 'building' });
    const variants: BuiltVariant[] = [];
    for (const { m, p } of pairs) {
      const v = await buildVariant(m, p, { cacheDir: labBuildCache(o.db, o.outDir), budgets, budgetsText, validateSamples: cfg.validateSamples });
      if (v.path) {
        const sha = await putArtifact(store.sql, await fs.readFile(v.path));
        if (sha !== v.sha256) v.sha256 = sha;
      }
      await putVariant(store.sql, o.night, v);
      variants.push(v);
      o.onProgress?.({ done: ++built, total, label: `built ${m.name} ${p}` });
    }
    boss = await openBoss(o.db, { maintenanceSec: o.maintenanceSec }, log);
    const cells: PlannedCell[] = [];
    for (const entry of entries) {
      const queue = deviceQueue(entry.id);
      await ensureQueue(boss, queue, DEVICE_QUEUE);
      for (const v of variants) {
        const key: CellKey = { night: o.night, model: v.model, precision: v.precision, device: entry.id };
        const cell: PlannedCell = { key, entry, variant: v, queue };
        cells.push(cell);
        if (!v.sha256 || !v.path) {
          await storeMissingRuns({ history, key, runIndexes: runIndexes(cfg.runs), status: 'error', reason: `${v.error?.stage} failed: ${v.error?.message}`, simulated: false });
          continue;
        }
        if (await cellFinal(history, key, cfg.runs)) continue;
        cell.jobId = cellJobId(key);
        const payload: CellJob = { ...key, precision: v.precision, sha256: v.sha256, runs: cfg.runs, iterations: cfg.iterations, warmupRuns: cfg.warmupRuns, throttleRetries: cfg.policy.throttleRetries, cooldownSec: cfg.policy.cooldownSec };
        const prior = await boss.getJobById(queue, cell.jobId);
        // a job of an earlier attempt at this night that ended without final rows: enqueue it afresh
        if (prior && TERMINAL.has(prior.state)) await boss.deleteJob(queue, cell.jobId);
        await boss.send(queue, payload, { id: cell.jobId, retryLimit: o.retryLimit, retryDelay: 1, retryBackoff: true, expireInSeconds: o.jobExpireSec, deadLetter: DEAD_LETTER_QUEUE });
      }
    }
    // wait for the workers
    const alive = (await listWorkers(store.sql)).filter((w) => !w.stopped_at && Date.now() - Date.parse(w.heartbeat_at) < 120_000);
    const unowned = entries.filter((e) => !alive.some((w) => w.devices.includes(e.id))).map((e) => e.id);
    if (unowned.length) log(`no running worker owns ${unowned.join(', ')} yet: their cells wait for one (\`mai lab worker\` on the host they hang off) until the deadline`);
    const deadline = Date.now() + o.timeoutSec * 1000;
    const pending = new Set(cells.filter((c) => c.jobId));
    for (;;) {
      const states = new Map<PlannedCell, string>();
      let workers;
      try {
        for (const c of pending) {
          const job = await boss.getJobById(c.queue, c.jobId!);
          const state = job?.state ?? 'completed';
          if (TERMINAL.has(state) || (await cellFinal(history, c.key, cfg.runs))) pending.delete(c);
          else states.set(c, state);
        }
        workers = await listWorkers(store.sql);
      } catch (e) {
        // the database restarting: wait for it (until the deadline)
        if (!isTransientDbError(e) && !(isMaiError(e) && e.code === 'db-unreachable')) throw e;
        if (Date.now() >= deadline) throw e;
        log(`waiting for the results database: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
        continue;
      }
      const hostOf = (device: string) => workers.find((w) => !w.stopped_at && w.devices.includes(device))?.host ?? '(no worker)';
      const byHost = new Map<string, HostProgress>();
      for (const c of cells) {
        const h = hostOf(c.entry.id);
        const p = byHost.get(h) ?? { host: h, done: 0, running: 0, waiting: 0 };
        const s = states.get(c);
        if (s === 'active') p.running++;
        else if (s) p.waiting++;
        else p.done++;
        byHost.set(h, p);
      }
      o.onHosts?.([...byHost.values()]);
      o.onProgress?.({ done: built + cells.length - pending.size, total, label: [...byHost.values()].map((p) => `${p.host}: ${p.done} done, ${p.running} running, ${p.waiting} waiting`).join('; ') });
      if (!pending.size || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
    }
    // the deadline: what did not run is NOT_RUN, its job cancelled
    const deviceProblems = new Map<string, string>();
    if (pending.size) {
      const workers = await listWorkers(store.sql);
      for (const c of pending) {
        await boss.cancel(c.queue, c.jobId!).catch(() => undefined);
        const owner = workers.find((w) => !w.stopped_at && w.devices.includes(c.entry.id));
        const why = owner ? `not finished by the night's deadline (${o.timeoutSec} s) on ${owner.host}` : `device offline: no worker owned ${c.entry.id} by the night's deadline`;
        deviceProblems.set(c.entry.id, why);
        await storeMissingRuns({ history, key: c.key, runIndexes: runIndexes(cfg.runs), status: 'not_run', reason: why, simulated: false, sha: c.variant.sha256 });
      }
    }
    const results: CellResult[] = [];
    for (const c of cells) {
      const rows = await history.runs(c.key);
      const rejected = rows.find((r) => r.status === 'rejected');
      const notRun = rows.length > 0 && rows.every((r) => r.status === 'not_run') ? rows[0]!.error ?? 'not run' : undefined;
      const r = await summarizeCell({
        key: c.key,
        history,
        variant: c.variant,
        policy: cfg.policy,
        plannedRuns: cfg.runs,
        deviceClass: c.entry.deviceClass,
        budgets,
        simulated: rows.some((x) => x.simulated === 1),
        ...(notRun ? { notRun } : {}),
        ...(rejected ? { rejected: rejected.error ?? 'rejected by the GPU delegate' } : {}),
      });
      await history.putCell(c.key, r.verdict, r);
      results.push(r);
    }
    return await finishNight({
      o,
      history,
      cells: results,
      variants,
      deviceProblems,
      notices: [],
      devices: entries.map((e) => ({ id: e.id, simulated: e.adb === 'embedded' })),
    });
  } finally {
    await boss?.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
    await store.close();
  }
}

const runIndexes = (n: number) => Array.from({ length: n }, (_, k) => k + 1);
