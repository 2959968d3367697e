/**
 * A lab that spans hosts, on a real PostgreSQL: two `mai lab worker`
 * processes, each with its own simulated Kirin 9000 behind its own adb port.
 * A night of 4 models × 2 precisions × 2 devices completes and every
 * benchmark ran on the worker owning the phone; the same night enqueued again
 * adds no job and no row; a worker SIGKILLed mid-job and restarted, and
 * PostgreSQL restarted mid-night, still give every cell exactly once with no
 * partial run; a worker stopped for good leaves its phone's cells NOT_RUN.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbSimServer } from '../../../src/devicelab/sim/server.js';
import { readTflite } from '../../../src/tflite/reader.js';
import { mai } from '../../helpers/cli.js';
import { devicesYaml, spawnWorker, type WorkerProcess } from '../../helpers/lab-worker.js';
import { queryPostgres, startTestPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { convChain, writeFiles } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-multihost-'));
const MODELS = ['m1', 'm2', 'm3', 'm4'];
const RUNS = 3;
let db: TestPostgres;
const sims: Record<'a' | 'b', AdbSimServer> = {} as never;
const workers: Record<string, WorkerProcess> = {};

function startWorker(host: 'a' | 'b'): WorkerProcess {
  return (workers[host] = spawnWorker({ db: db.url, devicesFile: join(dir, `devices-${host}.yaml`), host: `host-${host}` }));
}
const online = (host: 'a' | 'b') => workers[host]!.online();

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryPostgres<T>(db.url, sql, params);

/** Poll `cond` every 20 ms until it holds; fail naming `what` after `timeoutMs`. */
async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const t0 = Date.now(); !(await cond()); ) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Run rows stored for a night (of one device). */
async function rowCount(n: string, device?: string): Promise<number> {
  const [x] = await q<{ n: number }>(`SELECT COUNT(*)::int AS n FROM lab_runs WHERE night = $1${device ? ' AND device = $2' : ''}`, device ? [n, device] : [n]);
  return x!.n;
}

const night = (d: number) => `2026-12-0${d}`;
function nightly(d: number, timeoutSec = 180) {
  return mai('lab', 'nightly', '--config', join(dir, 'lab.yaml'), '--devices', join(dir, 'devices.yaml'), '--db', db.url, '--night', night(d), '--out', join(dir, 'out', night(d)), '--json', '--timeout', String(timeoutSec), '--job-expire', '3', '--maintenance', '1');
}

/** Benchmark runs the simulated phone made (argv of benchmark_model). */
const benchmarks = (s: AdbSimServer) => s.devices[0]!.commands.argvs().filter((a) => a[0]!.endsWith('benchmark_model'));

/** Every stored run of a night is whole: one lab row per (cell, run), its deploy row present, no deploy row without its lab row. */
async function checkWhole(n: string): Promise<void> {
  const perRun = await q<{ n: number }>('SELECT COUNT(*)::int AS n FROM lab_runs WHERE night = $1 GROUP BY model, precision, device, run HAVING COUNT(*) <> 1', [n]);
  expect(perRun).toEqual([]);
  const missingDeploy = await q("SELECT id FROM lab_runs l WHERE night = $1 AND status = 'ok' AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = l.run_id)", [n]);
  expect(missingDeploy).toEqual([]);
  const orphans = await q('SELECT id FROM runs r WHERE NOT EXISTS (SELECT 1 FROM lab_runs l WHERE l.run_id = r.id)');
  expect(orphans).toEqual([]);
}

beforeAll(async () => {
  db = await startTestPostgres();
  for (const h of ['a', 'b'] as const) {
    // each benchmark_model holds its phone 100 ms, as a real phone is busy for its run: a cell's job lasts
    // long enough that a kill between two of its runs lands mid-job on any machine
    sims[h] = new AdbSimServer({ devices: [{ serial: `k9000-${h}` }], readGraph: async (bytes, file) => (await new Promise((r) => setTimeout(r, 100)), readTflite(bytes, file)) });
    await sims[h].listen(0);
  }
  const files: Record<string, string | Uint8Array> = {
    'devices-a.yaml': devicesYaml([{ id: 'phone-a', serial: 'k9000-a', port: sims.a.port }]),
    'devices-b.yaml': devicesYaml([{ id: 'phone-b', serial: 'k9000-b', port: sims.b.port }]),
    'devices.yaml': devicesYaml([{ id: 'phone-a', serial: 'k9000-a', port: sims.a.port }, { id: 'phone-b', serial: 'k9000-b', port: sims.b.port }]),
    'lab.yaml': `version: 1\nmodels:\n${MODELS.map((m) => `  - { name: ${m}, path: ${m}.tflite }\n`).join('')}precisions: [fp32, fp16]\ndevices: [kirin9000]\nruns: ${RUNS}\niterations: 20\nwarmupRuns: 1\n`,
  };
  MODELS.forEach((m, i) => (files[`${m}.tflite`] = convChain({ size: 32, channels: 8 + 4 * i, seed: i + 1 })));
  writeFiles(dir, files);
  startWorker('a');
  startWorker('b');
  await Promise.all([online('a'), online('b')]);
}, 120_000);

afterAll(async () => {
  for (const w of Object.values(workers)) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await Promise.all(Object.values(sims).map((s) => s.close()));
  db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mai lab worker + mai lab nightly on PostgreSQL', () => {
  it('a night of 4 models × 2 precisions × 2 devices completes; every benchmark ran on the worker owning the phone', async () => {
    const r = await nightly(1);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { cells: Array<{ model: string; precision: string; device: string; verdict: string; runs: { ok: number } }>; db: string };
    expect(doc.cells).toHaveLength(16);
    for (const c of doc.cells) {
      expect(c.verdict).toBe('INSUFFICIENT_DATA');
      expect(c.runs.ok).toBe(RUNS);
    }
    expect(doc.db).not.toContain('mai@');
    const rows = await q<{ device: string; worker: string; n: number }>("SELECT device, worker, COUNT(*)::int AS n FROM lab_runs WHERE night = $1 AND status = 'ok' GROUP BY device, worker ORDER BY device", [night(1)]);
    expect(rows).toEqual([
      { device: 'phone-a', worker: 'host-a', n: 8 * RUNS },
      { device: 'phone-b', worker: 'host-b', n: 8 * RUNS },
    ]);
    // each phone's simulator ran exactly its own benchmarks, with the validated artefacts' bytes
    const shas = (await q<{ sha256: string }>('SELECT sha256 FROM lab_artifacts')).map((x) => x.sha256);
    for (const h of ['a', 'b'] as const) {
      const runs = benchmarks(sims[h]);
      expect(runs).toHaveLength(8 * RUNS);
      const graphs = new Set(runs.map((a) => /--graph=.*\/([0-9a-f]{64})\.tflite/.exec(a.join(' '))![1]!));
      expect(graphs.size).toBe(8);
      for (const g of graphs) expect(shas).toContain(g);
    }
    await checkWhole(night(1));
  }, 120_000);

  it('enqueuing the same night again creates no job and no row', async () => {
    const jobs = async () => (await q<{ n: number }>("SELECT COUNT(*)::int AS n FROM (SELECT id FROM mai_boss.job WHERE data->>'night' = $1 UNION ALL SELECT id FROM mai_boss.archive WHERE data->>'night' = $1) j", [night(1)]))[0]!.n;
    const before = { jobs: await jobs(), rows: await q('SELECT id FROM lab_runs'), runs: await q('SELECT id FROM runs'), bench: benchmarks(sims.a).length + benchmarks(sims.b).length };
    expect(before.jobs).toBe(16);
    const r = await nightly(1);
    expect(r.code, r.stderr).toBe(0);
    expect(await jobs()).toBe(16);
    expect(await q('SELECT id FROM lab_runs')).toEqual(before.rows);
    expect(await q('SELECT id FROM runs')).toEqual(before.runs);
    expect(benchmarks(sims.a).length + benchmarks(sims.b).length).toBe(before.bench);
  }, 120_000);

  it('a worker SIGKILLed mid-job and restarted: the job expires, runs again, and every cell is stored exactly once', async () => {
    const running = nightly(2);
    // kill worker a while one of its cells has some but not all runs stored: mid-job (a cell is one job)
    const partialCells = async () =>
      q<{ cell: string }>("SELECT model || '/' || precision AS cell FROM lab_runs WHERE night = $1 AND device = 'phone-a' GROUP BY model, precision HAVING COUNT(*) BETWEEN 1 AND $2", [night(2), RUNS - 1]);
    // on a loaded machine the job may still finish between the check and the kill: then restart and try again
    let midJob = false;
    for (let attempt = 0; attempt < 3 && !midJob; attempt++) {
      if (attempt > 0) (startWorker('a'), await online('a'));
      await until('a cell of worker a is part-way through night 2', async () => (await partialCells()).length > 0);
      workers.a!.child.kill('SIGKILL');
      await workers.a!.exited();
      midJob = (await partialCells()).length > 0;
    }
    expect(midJob, 'a kill landed mid-job in 3 attempts').toBe(true);
    expect(await rowCount(night(2), 'phone-a')).toBeLessThan(8 * RUNS);
    await new Promise((r) => setTimeout(r, 1000));
    startWorker('a');
    const r = await running;
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { cells: Array<{ verdict: string; runs: { ok: number } }> };
    expect(doc.cells).toHaveLength(16);
    expect(doc.cells.every((c) => c.verdict !== 'NOT_RUN' && c.runs.ok === RUNS)).toBe(true);
    const [n] = await q<{ n: number }>("SELECT COUNT(*)::int AS n FROM lab_runs WHERE night = $1 AND status = 'ok'", [night(2)]);
    expect(n!.n).toBe(16 * RUNS);
    await checkWhole(night(2));
    // the killed worker's job expired and ran again (pg-boss counts the retry)
    const [retried] = await q<{ n: number }>(
      "SELECT MAX(retry_count)::int AS n FROM (SELECT retry_count FROM mai_boss.job WHERE name = 'lab-device-phone-a' AND data->>'night' = $1 UNION ALL SELECT retry_count FROM mai_boss.archive WHERE name = 'lab-device-phone-a' AND data->>'night' = $1) j",
      [night(2)],
    );
    expect(retried!.n).toBeGreaterThanOrEqual(1);
  }, 120_000);

  it('PostgreSQL restarted mid-night: workers and the nightly reconnect and the night completes', async () => {
    await online('a');
    const running = nightly(3);
    await until('night 3 has runs', async () => (await rowCount(night(3))) >= 2);
    const atHalt = await rowCount(night(3));
    db.halt();
    expect(atHalt).toBeLessThan(16 * RUNS);
    await new Promise((r) => setTimeout(r, 2000));
    db.start();
    const r = await running;
    expect(r.code, r.stderr).toBe(0);
    const [n] = await q<{ n: number }>("SELECT COUNT(*)::int AS n FROM lab_runs WHERE night = $1 AND status = 'ok'", [night(3)]);
    expect(n!.n).toBe(16 * RUNS);
    await checkWhole(night(3));
  }, 150_000);

  it("a phone that disappears stops its queue: its cells are NOT_RUN (device offline) at the deadline, the other phone's complete", async () => {
    await online('a');
    sims.b.setState('k9000-b', 'offline');
    await until('worker b stops the queue of the offline phone', () => workers.b!.log.join('').includes('phone-b: now offline; its queue stops'), 20_000);
    const before = benchmarks(sims.b).length;
    const r = await nightly(4, 15);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { cells: Array<{ device: string; verdict: string; error?: string; runs: { ok: number } }> };
    for (const c of doc.cells.filter((x) => x.device === 'phone-b')) {
      expect(c.verdict).toBe('NOT_RUN');
      expect(c.error).toMatch(/device offline: no worker owned phone-b/);
    }
    for (const c of doc.cells.filter((x) => x.device === 'phone-a')) expect(c.runs.ok).toBe(RUNS);
    expect(benchmarks(sims.b).length).toBe(before);
    await checkWhole(night(4));
    // plugged in again: the worker takes its queue back
    const consuming = () => workers.b!.log.join('').split('consuming lab-device-phone-b').length;
    const n = consuming();
    sims.b.setState('k9000-b', 'device');
    await until('worker b takes phone-b back', () => consuming() > n, 20_000);
  }, 120_000);

  it("SIGTERM mid-night: the worker finishes its running cell and exits 143 (SIGTERM, as every command); its phone's other cells are NOT_RUN, the other phone's complete", async () => {
    const running = nightly(5, 25);
    await until('worker b stored a run of night 5', async () => (await rowCount(night(5), 'phone-b')) >= 1);
    workers.b!.child.kill('SIGTERM');
    expect(await workers.b!.exited()).toBe(143);
    expect(workers.b!.log.join('')).toMatch(/stopped/);
    const r = await running;
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { cells: Array<{ device: string; verdict: string; runs: { ok: number } }>; labFailure: string };
    const b = doc.cells.filter((c) => c.device === 'phone-b');
    expect(b).toHaveLength(8);
    // the cell running at SIGTERM finished whole; the rest never started
    const finished = b.filter((c) => c.runs.ok === RUNS);
    expect(finished.length).toBeGreaterThanOrEqual(1);
    expect(finished.length).toBeLessThan(8);
    for (const c of b.filter((x) => x.runs.ok !== RUNS)) {
      expect(c.verdict).toBe('NOT_RUN');
      expect(c.runs.ok).toBe(0);
    }
    expect(doc.labFailure).toMatch(/phone-b: device offline/);
    for (const c of doc.cells.filter((x) => x.device === 'phone-a')) {
      expect(c.verdict).not.toBe('NOT_RUN');
      expect(c.runs.ok).toBe(RUNS);
    }
    const rows = await q<{ status: string; n: number }>("SELECT status, COUNT(*)::int AS n FROM lab_runs WHERE night = $1 AND device = 'phone-b' GROUP BY status ORDER BY status", [night(5)]);
    expect(rows).toEqual([
      { status: 'not_run', n: (8 - finished.length) * RUNS },
      { status: 'ok', n: finished.length * RUNS },
    ]);
    await checkWhole(night(5));
  }, 120_000);
});
