/**
 * `mai lab nightly --db postgres://…`: the night spread over the hosts'
 * workers. Builds and validates each model × precision once, here (build.ts)
 * or on the build workers (lab.yaml `build: workers`; remote-build.ts),
 * stores each artefact by content hash, enqueues one job per cell on the
 * queue of its device, or of its pool (lab.yaml `pools`: phones of one kind on
 * any hosts, each taking the pool's next cell when it is free; the pool's
 * name is the cells' device), job ids derived from the cell (enqueuing the
 * same night twice adds nothing), waits for the workers, then judges every cell and
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
import { cellJobId, DEAD_LETTER_QUEUE, DEVICE_QUEUE, deviceQueue, ensureQueue, listWorkers, openBoss, POOL_QUEUE, poolQueue, putArtifact, putPool, putVariant, type CellJob } from './queue.js';
import { finishNight } from './finish-night.js';
import { buildOnWorkers, checkRemoteBuildData } from './remote-build.js';
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

/** What the cells of the matrix run on: one device (its own queue) or a pool of phones of one kind (one queue they all take from). */
interface Target {
  /** the cells' device column: the device id or the pool's name */
  id: string;
  queue: string;
  /** the devices that may run its cells */
  members: DeviceEntry[];
  deviceClass: string;
  pool: boolean;
}

interface PlannedCell {
  key: CellKey;
  target: Target;
  variant: BuiltVariant;
  jobId?: string;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** The devices and pools of lab.yaml as devices.yaml names them (the workers own them; nothing is opened here). */
async function labTargets(o: QueuedNightOptions): Promise<Target[]> {
  const all = (await loadDevices(o.devicesFile, !o.devicesFileExplicit)) ?? [];
  const select = (spec: string, where: string) => {
    const found = selectDevices(all, spec);
    if (!found.length) throw inputError('unknown-device', `no device in ${o.devicesFile} has the id or tag '${spec}' (lab.yaml ${where})`, { file: o.devicesFile, hint: 'a lab that spans hosts names every phone in devices.yaml, with the adb server of the host it hangs off' });
    return found;
  };
  const out = new Map<string, Target>();
  for (const spec of o.config.devices) for (const e of select(spec, 'devices')) out.set(e.id, { id: e.id, queue: deviceQueue(e.id), members: [e], deviceClass: e.deviceClass, pool: false });
  for (const p of o.config.pools) {
    if (all.some((e) => e.id === p.name)) throw inputError('lab-config-invalid', `${o.config.file}: pool '${p.name}' has the name of a device of ${o.devicesFile}: a pool's cells and a device's would share one history`, { file: o.config.file });
    const members = new Map(p.devices.flatMap((spec) => select(spec, `pool ${p.name}`)).map((e) => [e.id, e]));
    const classes = new Set([...members.values()].map((e) => e.deviceClass));
    if (classes.size > 1) throw inputError('lab-config-invalid', `${o.config.file}: pool '${p.name}' mixes device classes (${[...classes].join(', ')}): a pool's phones must be of one kind, its cells compare nights run on any of them`, { file: o.config.file });
    out.set(p.name, { id: p.name, queue: poolQueue(p.name), members: [...members.values()], deviceClass: [...classes][0]!, pool: true });
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
  const targets = await labTargets(o);
  const onWorkers = (o.buildOn ?? cfg.build) === 'workers';
  if (onWorkers) checkRemoteBuildData(cfg);
  const store = await ResultsStore.open(o.db, { reconnectSec: Math.max(60, o.timeoutSec), log });
  let boss: PgBoss | undefined;
  try {
    const history = new LabHistory(store);
    const pairs = cfg.models.flatMap((m) => cfg.precisions.map((p) => ({ m, p })));
    const total = pairs.length + pairs.length * targets.length;
    let built = 0;
    o.onProgress?.({ done: 0, total, label: 'building' });
    boss = await openBoss(o.db, { maintenanceSec: o.maintenanceSec }, log);
    let deadline: number | undefined;
    const variants: BuiltVariant[] = [];
    if (onWorkers) {
      // the deadline covers the builds and the cells
      deadline = Date.now() + o.timeoutSec * 1000;
      const workerOf = async (jobId: string) => (await listWorkers(store.sql)).find((w) => !w.stopped_at && w.busy?.split(',').includes(jobId))?.host;
      variants.push(
        ...(await buildOnWorkers({
          sql: store.sql,
          boss,
          config: cfg,
          night: o.night,
          budgetsText,
          retryLimit: o.retryLimit,
          expireSec: o.jobExpireSec,
          deadline,
          pollMs: o.pollMs ?? 1000,
          hostOf: workerOf,
          onProgress: (p) => o.onProgress?.({ done: (built = p.done), total, label: p.label }),
          log,
        })),
      );
    } else {
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
    }
    const cells: PlannedCell[] = [];
    for (const target of targets) {
      const queue = target.queue;
      if (target.pool) await putPool(store.sql, target.id, target.members.map((e) => e.id));
      await ensureQueue(boss, queue, target.pool ? POOL_QUEUE : DEVICE_QUEUE);
      for (const v of variants) {
        const key: CellKey = { night: o.night, model: v.model, precision: v.precision, device: target.id };
        const cell: PlannedCell = { key, target, variant: v };
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
    const unowned = targets.flatMap((t) => t.members).filter((e) => !alive.some((w) => w.devices.includes(e.id))).map((e) => e.id);
    if (unowned.length) log(`no running worker owns ${unowned.join(', ')} yet: their cells wait for one (\`mai lab worker\` on the host they hang off) until the deadline`);
    deadline ??= Date.now() + o.timeoutSec * 1000;
    const pending = new Set(cells.filter((c) => c.jobId));
    for (;;) {
      const states = new Map<PlannedCell, string>();
      let workers;
      try {
        for (const c of pending) {
          const job = await boss.getJobById(c.target.queue, c.jobId!);
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
      const live = workers.filter((w) => !w.stopped_at);
      // a running job: the host whose worker runs it; else the hosts owning the cell's devices
      const hostOf = (c: PlannedCell) =>
        live.find((w) => c.jobId && w.busy?.split(',').includes(c.jobId))?.host ??
        ([...new Set(live.filter((w) => c.target.members.some((e) => w.devices.includes(e.id))).map((w) => w.host))].join('+') || '(no worker)');
      const byHost = new Map<string, HostProgress>();
      for (const c of cells) {
        const h = hostOf(c);
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
        await boss.cancel(c.target.queue, c.jobId!).catch(() => undefined);
        const owners = workers.filter((w) => !w.stopped_at && c.target.members.some((e) => w.devices.includes(e.id))).map((w) => w.host);
        const why = owners.length
          ? `not finished by the night's deadline (${o.timeoutSec} s) on ${owners.join(', ')}`
          : `device offline: no worker owned ${c.target.pool ? `a phone of pool ${c.target.id} (${c.target.members.map((e) => e.id).join(', ')})` : c.target.id} by the night's deadline`;
        deviceProblems.set(c.target.id, why);
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
        deviceClass: c.target.deviceClass,
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
      devices: targets.map((t) => ({ id: t.id, simulated: false })),
    });
  } finally {
    await boss?.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
    await store.close();
  }
}

const runIndexes = (n: number) => Array.from({ length: n }, (_, k) => k + 1);
