/**
 * `mai lab worker`: one per host. It owns the phones its own adb server
 * reports (tracked live with track-devices) that devices.yaml names, and
 * consumes only those phones' queues: each phone's own queue and those of
 * the lab.yaml pools it is in, with one consumer per phone (one job at a
 * time). A job is one cell of a night: the build artefact fetched by
 * content hash (exactly the validated bytes), its benchmark runs on the
 * phone, each run stored in one transaction. While a job runs the worker
 * heartbeats (its row in `lab_workers`, the job's expiry pushed forward); a
 * killed worker stops heartbeating and its job expires and runs again. A
 * phone that disappears stops its queue. With `build`, the worker also takes
 * the `lab-build` queue's jobs, one at a time (remote-build.ts), heartbeated
 * the same way. `stop()` (SIGTERM) stops taking
 * jobs, lets the current one finish for up to `stopTimeoutSec`, else
 * releases it (failed → retried), and disconnects.
 */
import type PgBoss from 'pg-boss';
import { inputError, isMaiError } from '../../core/errors.js';
import { adbClient, type Client } from '../adb/adbkit.js';
import { loadDevices, type DeviceEntry } from '../config/devices.js';
import type { ModelInfo } from '../deploy/deploy.js';
import { ResultsStore } from '../store/results.js';
import { isTransientDbError } from '../store/pg-connection.js';
import { isPostgresUrl } from '../store/sql.js';
import { runCellRuns } from './cell-runs.js';
import { LabHistory } from './history.js';
import { BUILD_QUEUE, BUILD_QUEUE_OPTIONS, parseBuildJob, runBuildJob } from './remote-build.js';
import { DEVICE_QUEUE, deviceQueue, ensureQueue, getArtifact, heartbeat, openBoss, parseCellJob, poolQueue, poolsOf, touchJob } from './queue.js';

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
  /** take build jobs too, building in this host's cache folder */
  build?: { cacheDir: string };
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
}

interface Running {
  queue: string;
  job: string;
  done: Promise<void>;
  /** failed on SIGTERM (released to the phone's next owner): its end is not reported */
  released: boolean;
}

export async function startWorker(o: WorkerOptions): Promise<LabWorker> {
  if (!isPostgresUrl(o.db)) throw inputError('db-required', 'mai lab worker needs the shared PostgreSQL results database: --db postgres://… (or MAI_DB)');
  const all = (await loadDevices(o.devicesFile, !o.devicesFileExplicit)) ?? [];
  const entries = all.filter((e) => e.adb !== 'embedded');
  for (const e of all.filter((x) => x.adb === 'embedded')) o.log(`${e.id}: an embedded simulator belongs to no host; run \`mai sim --port P --serial S\` and name its adb server in ${o.devicesFile}`);
  if (!entries.length && !o.build) throw inputError('worker-no-devices', `${o.devicesFile} names no device on an adb server for this worker to own`, { file: o.devicesFile });
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
  const busy = new Map<string, Running>();
  let stopping = false;
  const beat = () => heartbeat(store.sql, o.host, [...owned.keys()], [...busy.values()].map((b) => b.job).join(',') || null).catch((e) => o.log(`heartbeat: ${(e as Error).message}`));

  // idle waits that a stop or a lost phone cuts short
  const sleepers = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(t);
        sleepers.delete(wake);
        resolve();
      };
      const t = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  const wakeAll = () => [...sleepers].forEach((wake) => wake());

  async function runJob(own: Owned, cellDevice: string, job: PgBoss.Job<unknown>): Promise<void> {
    const cell = parseCellJob(job.data, job.id);
    if (cell.device !== cellDevice) throw inputError('bad-option', `job ${job.id} is for ${cell.device}, not ${cellDevice}`);
    const bytes = await getArtifact(store.sql, cell.sha256);
    const model: ModelInfo = { path: `${cell.model}-${cell.precision}.tflite`, name: `${cell.model}-${cell.precision}.tflite`, bytes, sha256: cell.sha256, precision: cell.precision };
    const key = { night: cell.night, model: cell.model, precision: cell.precision, device: cell.device };
    o.log(`${own.entry.id}: ${cell.model} ${cell.precision}${cellDevice !== own.entry.id ? ` of pool ${cellDevice}` : ''} (night ${cell.night}, ${cell.runs} runs)`);
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

  /** Tell pg-boss how a job ended; a database restarting is waited for (else the job expires and runs again). */
  async function report(queue: string, jobId: string, failure: unknown): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (failure === undefined) await boss.complete(queue, jobId);
        else await boss.fail(queue, jobId, { message: errorText(failure) });
        return;
      } catch (e) {
        if (!isTransientDbError(e) || attempt >= 120) {
          o.log(`job ${jobId}: its end could not be stored (${(e as Error).message}); it expires and runs again`);
          return;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  /**
   * One job on one phone, heartbeated: the worker's row says what it runs and
   * the job's expiry moves forward while it runs. pg-boss's own `work()` is not
   * used: it fails a job whose handler outlives the job's expiry while the
   * handler goes on, and then hands the phone a second job.
   */
  async function runHeld(slot: string, next: { queue: string; job: PgBoss.Job<unknown> }, work: () => Promise<void>): Promise<void> {
    let finished!: () => void;
    const running: Running = { queue: next.queue, job: next.job.id, done: new Promise<void>((r) => (finished = r)), released: false };
    busy.set(slot, running);
    void beat();
    let touching = false;
    const timer = setInterval(() => {
      if (touching) return;
      touching = true;
      void touchJob(store.sql, next.job.id)
        .catch(() => undefined)
        .finally(() => (touching = false));
    }, o.heartbeatSec * 1000);
    let failure: unknown;
    try {
      await work();
    } catch (e) {
      failure = e ?? new Error('failed');
      o.log(`${slot}: job ${next.job.id} failed (it runs again after a backoff): ${errorText(e)}`);
    } finally {
      clearInterval(timer);
    }
    if (!running.released) await report(next.queue, next.job.id, failure);
    busy.delete(slot);
    finished();
    void beat();
  }

  /** The next job for a phone: its own queue first, then the queues of the pools it is in. */
  async function nextJob(own: Owned): Promise<{ queue: string; cellDevice: string; job: PgBoss.Job<unknown> } | undefined> {
    const sources = [{ queue: deviceQueue(own.entry.id), cellDevice: own.entry.id }, ...(await poolsOf(store.sql, own.entry.id)).map((p) => ({ queue: poolQueue(p), cellDevice: p }))];
    for (const s of sources) {
      const [job] = await boss.fetch(s.queue, { batchSize: 1 });
      if (job) return { ...s, job };
    }
    return undefined;
  }

  /** A phone's consumer: one job at a time, for as long as the worker owns the phone. */
  async function consume(own: Owned): Promise<void> {
    const id = own.entry.id;
    const queue = deviceQueue(id);
    const mine = () => owned.get(id) === own && !stopping;
    for (let attempt = 0; mine(); attempt++) {
      try {
        await ensureQueue(boss, queue, DEVICE_QUEUE);
        break;
      } catch (e) {
        o.log(`${id}: its queue ${queue} could not be created (${errorText(e)}); trying again`);
        await pause(Math.min(10_000, 500 * 2 ** attempt));
      }
    }
    if (!mine()) return;
    o.log(`${id}: online (${own.entry.serial}); consuming ${queue}`);
    void beat();
    while (mine()) {
      // the phone came back while its previous consumer's job still runs: one job at a time
      const running = busy.get(id);
      if (running) {
        await running.done;
        continue;
      }
      let next;
      try {
        next = await nextJob(own);
      } catch (e) {
        o.log(`${id}: ${errorText(e)}`);
      }
      if (next) await runHeld(id, next, () => runJob(own, next.cellDevice, next.job));
      else await pause(o.pollSec * 1000);
    }
  }

  function own(entry: DeviceEntry, client: Client): void {
    if (owned.has(entry.id) || stopping) return;
    const x: Owned = { entry, client };
    owned.set(entry.id, x);
    void consume(x).catch((e) => o.log(`${entry.id}: ${errorText(e)}`));
  }

  function disown(id: string, why: string): void {
    if (!owned.delete(id)) return;
    o.log(`${id}: ${why}; its queue stops`);
    wakeAll();
    void beat();
  }

  /** The build consumer: one build job at a time from the shared build queue. */
  async function consumeBuilds(cacheDir: string): Promise<void> {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        await ensureQueue(boss, BUILD_QUEUE, BUILD_QUEUE_OPTIONS);
        break;
      } catch (e) {
        o.log(`builds: the queue ${BUILD_QUEUE} could not be created (${errorText(e)}); trying again`);
        await pause(Math.min(10_000, 500 * 2 ** attempt));
      }
    }
    if (stopping) return;
    o.log(`builds: consuming ${BUILD_QUEUE} (cache ${cacheDir})`);
    while (!stopping) {
      let job: PgBoss.Job<unknown> | undefined;
      try {
        [job] = await boss.fetch(BUILD_QUEUE, { batchSize: 1 });
      } catch (e) {
        o.log(`builds: ${errorText(e)}`);
      }
      if (!job) {
        await pause(o.pollSec * 1000);
        continue;
      }
      const taken = job;
      await runHeld(BUILD_SLOT, { queue: BUILD_QUEUE, job: taken }, async () => {
        const b = parseBuildJob(taken.data, taken.id);
        o.log(`builds: ${b.model} ${b.precision} (night ${b.night})`);
        const v = await runBuildJob(store.sql, b, cacheDir);
        o.log(`builds: ${b.model} ${b.precision} ${v.error ? `failed (${v.error.stage}: ${v.error.message})` : `stored ${v.sha256}`}`);
      });
    }
  }
  if (o.build) {
    const { cacheDir } = o.build;
    void consumeBuilds(cacheDir).catch((e) => o.log(`builds: ${errorText(e)}`));
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
      for (const e of list) disown(e.id, `adb server ${addr} lost`);
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
      if (d.type === 'device') own(entry, client);
      else disown(entry.id, `now ${d.type}`);
    };
    tracker.on('add', update);
    tracker.on('change', update);
    tracker.on('remove', (d: { id: string }) => {
      const entry = list.find((e) => e.serial === d.id);
      if (entry) disown(entry.id, 'disconnected');
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
      for (const id of [...owned.keys()]) disown(id, 'worker stopping');
      wakeAll();
      const running = [...busy.values()];
      if (running.length) {
        o.log(`waiting up to ${o.stopTimeoutSec} s for ${running.length} running job(s)`);
        const finished = await Promise.race([Promise.all(running.map((b) => b.done)).then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), o.stopTimeoutSec * 1000))]);
        if (!finished) {
          // release: the job fails with retries left and runs again on the phone's next owner
          for (const b of busy.values()) {
            b.released = true;
            await boss.fail(b.queue, b.job, { message: `worker ${o.host} stopped` }).catch(() => undefined);
          }
        }
      }
      await heartbeat(store.sql, o.host, [], null, true).catch(() => undefined);
      await boss.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
      await store.close();
      resolveDone();
    })());
  return { owned: () => [...owned.keys()], stop, done };
}

/** The worker's busy slot of its build job (phones use their device ids). */
const BUILD_SLOT = '(build)';

const errorText = (e: unknown) => (isMaiError(e) ? e.message : String((e as Error)?.message ?? e));
