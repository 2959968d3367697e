/**
 * `mai lab worker`: one per host. It owns the phones its own adb server
 * reports (tracked live with track-devices) that devices.yaml names, and
 * consumes only those phones' queues (one queue per device, one active job
 * per phone). A job is one cell of a night: the build artefact fetched by
 * content hash (exactly the validated bytes), its benchmark runs on the
 * phone, each run stored in one transaction. While a job runs the worker
 * heartbeats (its row in `lab_workers`, the job's expiry pushed forward); a
 * killed worker stops heartbeating and its job expires and runs again. A
 * phone that disappears stops its queue. `stop()` (SIGTERM) stops taking
 * jobs, lets the current one finish for up to `stopTimeoutSec`, else
 * releases it (failed → retried), and disconnects.
 */
import type PgBoss from 'pg-boss';
import { inputError, isMaiError } from '../../core/errors.js';
import { adbClient, type Client } from '../adb/adbkit.js';
import { loadDevices, type DeviceEntry } from '../config/devices.js';
import type { ModelInfo } from '../deploy/deploy.js';
import { ResultsStore } from '../store/results.js';
import { isPostgresUrl } from '../store/sql.js';
import { runCellRuns } from './cell-runs.js';
import { LabHistory } from './history.js';
import { deviceQueue, getArtifact, heartbeat, openBoss, parseCellJob, touchJob } from './queue.js';

export interface WorkerOptions {
  db: string;
  devicesFile: string;
  devicesFileExplicit?: boolean;
  /** this host's name in the lab (default: the machine's hostname) */
  host: string;
  heartbeatSec: number;
  pollSec: number;
  maintenanceSec: number;
  stopTimeoutSec: number;
  log: (line: string) => void;
}

export interface LabWorker {
  /** device ids whose queues this worker consumes now */
  owned(): string[];
  /** stop cleanly (finish or release the current job) */
  stop(): Promise<void>;
  /** resolves when the worker has stopped */
  done: Promise<void>;
}

interface Owned {
  entry: DeviceEntry;
  client: Client;
  workId?: string;
}

export async function startWorker(o: WorkerOptions): Promise<LabWorker> {
  if (!isPostgresUrl(o.db)) throw inputError('db-required', 'mai lab worker needs the shared PostgreSQL results database: --db postgres://… (or MAI_DB)');
  const all = (await loadDevices(o.devicesFile, !o.devicesFileExplicit)) ?? [];
  const entries = all.filter((e) => e.adb !== 'embedded');
  for (const e of all.filter((x) => x.adb === 'embedded')) o.log(`${e.id}: an embedded simulator belongs to no host; run \`mai sim --port P --serial S\` and name its adb server in ${o.devicesFile}`);
  if (!entries.length) throw inputError('worker-no-devices', `${o.devicesFile} names no device on an adb server for this worker to own`, { file: o.devicesFile });
  const store = await ResultsStore.open(o.db, { reconnectSec: 24 * 3600, log: o.log });
  const history = new LabHistory(store);
  let boss: PgBoss;
  try {
    boss = await openBoss(o.db, { maintenanceSec: o.maintenanceSec, pollSec: o.pollSec }, o.log);
  } catch (e) {
    await store.close();
    throw e;
  }
  const owned = new Map<string, Owned>();
  const busy = new Map<string, { queue: string; job: string; done: Promise<void> }>();
  let stopping = false;
  const beat = () => heartbeat(store.sql, o.host, [...owned.keys()], [...busy.values()].map((b) => b.job).join(',') || null).catch((e) => o.log(`heartbeat: ${(e as Error).message}`));

  async function runJob(own: Owned, job: PgBoss.Job<unknown>): Promise<void> {
    const cell = parseCellJob(job.data, job.id);
    if (cell.device !== own.entry.id) throw inputError('bad-option', `job ${job.id} is for ${cell.device}, not ${own.entry.id}`);
    const bytes = await getArtifact(store.sql, cell.sha256);
    const model: ModelInfo = { path: `${cell.model}-${cell.precision}.tflite`, name: `${cell.model}-${cell.precision}.tflite`, bytes, sha256: cell.sha256, precision: cell.precision };
    const key = { night: cell.night, model: cell.model, precision: cell.precision, device: cell.device };
    o.log(`${own.entry.id}: ${cell.model} ${cell.precision} (night ${cell.night}, ${cell.runs} runs)`);
    const r = await runCellRuns({
      client: own.client,
      entry: own.entry,
      model,
      key,
      runIndexes: Array.from({ length: cell.runs }, (_, k) => k + 1),
      iterations: cell.iterations,
      warmupRuns: cell.warmupRuns,
      throttleRetries: cell.throttleRetries,
      cooldownSec: cell.cooldownSec,
      history,
      worker: o.host,
    });
    // the phone went away mid-cell: the job fails and is retried when the phone is back
    if (r.deviceGone) throw inputError('device-not-found', `${own.entry.id}: ${r.deviceGone}`);
  }

  async function own(entry: DeviceEntry, client: Client): Promise<void> {
    if (owned.has(entry.id) || stopping) return;
    const o2: Owned = { entry, client };
    owned.set(entry.id, o2);
    const queue = deviceQueue(entry.id);
    o.log(`${entry.id}: online (${entry.serial}); consuming ${queue}`);
    await boss.createQueue(queue, { name: queue, policy: 'singleton' });
    o2.workId = await boss.work(queue, { pollingIntervalSeconds: o.pollSec, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) {
        let release!: () => void;
        const done = new Promise<void>((r) => (release = r));
        busy.set(entry.id, { queue, job: job.id, done });
        const timer = setInterval(() => void touchJob(store.sql, job.id).catch(() => undefined), o.heartbeatSec * 1000);
        void beat();
        try {
          await runJob(o2, job);
        } catch (e) {
          o.log(`${entry.id}: job ${job.id} failed (it runs again after a backoff): ${isMaiError(e) ? e.message : String((e as Error)?.message ?? e)}`);
          throw e;
        } finally {
          clearInterval(timer);
          busy.delete(entry.id);
          release();
          void beat();
        }
      }
    });
    void beat();
  }

  async function disown(id: string, why: string): Promise<void> {
    const x = owned.get(id);
    if (!x) return;
    owned.delete(id);
    o.log(`${id}: ${why}; its queue stops`);
    if (x.workId) await boss.offWork({ id: x.workId }).catch(() => undefined);
    void beat();
  }

  // one tracker per adb server named in devices.yaml
  const servers = new Map<string, DeviceEntry[]>();
  for (const e of entries) {
    const adb = e.adb as { host: string; port: number };
    const k = `${adb.host}:${adb.port}`;
    servers.set(k, [...(servers.get(k) ?? []), e]);
  }
  const trackers: Array<{ end(): unknown }> = [];
  const track = async (addr: string, list: DeviceEntry[]): Promise<void> => {
    if (stopping) return;
    const [host, port] = [addr.slice(0, addr.lastIndexOf(':')), Number(addr.slice(addr.lastIndexOf(':') + 1))];
    const client = adbClient(host, port);
    const retry = () => {
      for (const e of list) void disown(e.id, `adb server ${addr} lost`);
      if (!stopping) setTimeout(() => void track(addr, list), 2000);
    };
    let tracker;
    try {
      tracker = await client.trackDevices();
    } catch (e) {
      o.log(`adb server ${addr}: ${(e as Error).message}; retrying`);
      return retry();
    }
    trackers.push(tracker);
    const update = (d: { id: string; type: string }) => {
      const entry = list.find((e) => e.serial === d.id);
      if (!entry) return;
      if (d.type === 'device') void own(entry, client).catch((e) => o.log(`${entry.id}: ${(e as Error).message}`));
      else void disown(entry.id, `now ${d.type}`);
    };
    tracker.on('add', update);
    tracker.on('change', update);
    tracker.on('remove', (d: { id: string }) => {
      const entry = list.find((e) => e.serial === d.id);
      if (entry) void disown(entry.id, 'disconnected');
    });
    tracker.on('error', () => undefined);
    tracker.on('end', retry);
    // the tracker's first list may have been read before these listeners: take it from host:devices
    try {
      for (const d of (await client.listDevices()) as Array<{ id: string; type: string }>) update(d);
    } catch (e) {
      o.log(`adb server ${addr}: ${(e as Error).message}`);
    }
  };
  for (const [addr, list] of servers) await track(addr, list);
  const beatTimer = setInterval(() => void beat(), o.heartbeatSec * 1000);
  await beat();

  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      clearInterval(beatTimer);
      for (const t of trackers) t.end();
      for (const id of [...owned.keys()]) await disown(id, 'worker stopping');
      const running = [...busy.values()];
      if (running.length) {
        o.log(`waiting up to ${o.stopTimeoutSec} s for ${running.length} running job(s)`);
        const finished = await Promise.race([Promise.all(running.map((b) => b.done)).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), o.stopTimeoutSec * 1000))]);
        if (!finished) {
          // release: the job fails with retries left and runs again on the phone's next owner
          for (const b of busy.values()) await boss.fail(b.queue, b.job, { message: `worker ${o.host} stopped` }).catch(() => undefined);
        }
      }
      await heartbeat(store.sql, o.host, [], null, true).catch(() => undefined);
      await boss.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
      await store.close();
      resolveDone();
    })());
  return { owned: () => [...owned.keys()], stop, done };
}
