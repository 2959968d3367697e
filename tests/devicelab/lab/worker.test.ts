/**
 * `mai lab worker` in-process on a real PostgreSQL with a simulated phone: a
 * heartbeated cell job that takes longer than its expiry is neither failed
 * nor run twice, and the phone's next job starts only after it ended (one
 * active job per phone).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type PgBoss from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceQueue, openBoss, putArtifact, type CellJob } from '../../../src/devicelab/lab/queue.js';
import { startWorker, type LabWorker } from '../../../src/devicelab/lab/worker.js';
import { AdbSimServer } from '../../../src/devicelab/sim/server.js';
import { ResultsStore } from '../../../src/devicelab/store/results.js';
import { readTflite } from '../../../src/tflite/reader.js';
import { devicesYaml } from '../../helpers/lab-worker.js';
import { queryPostgres, startTestPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { convChain } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-worker-'));
let db: TestPostgres;
let sim: AdbSimServer;
let boss: PgBoss;
let store: ResultsStore;
const workers: LabWorker[] = [];
const log: string[] = [];

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryPostgres<T>(db.url, sql, params);

function worker(host: string, devicesFile: string): Promise<LabWorker> {
  return startWorker({ db: db.url, devicesFile, devicesFileExplicit: true, host, heartbeatSec: 0.2, pollSec: 0.5, maintenanceSec: 1, stopTimeoutSec: 10, log: (l) => log.push(`${host}: ${l}`) }).then((w) => (workers.push(w), w));
}

async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  for (const t0 = Date.now(); !(await cond()); ) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting until ${what}\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  db = await startTestPostgres();
  // each benchmark_model holds the phone 100 ms, as a real phone is busy for its run: the long job outlasts its expiry on any machine
  sim = new AdbSimServer({ devices: [{ serial: 'k-w-1' }], readGraph: async (bytes, file) => (await new Promise((r) => setTimeout(r, 100)), readTflite(bytes, file)) });
  const { port } = await sim.listen(0);
  writeFileSync(join(dir, 'devices.yaml'), devicesYaml([{ id: 'phone-w', serial: 'k-w-1', port }]));
  store = await ResultsStore.open(db.url);
  boss = await openBoss(db.url, { maintenanceSec: 1 }, () => undefined);
}, 120_000);

afterAll(async () => {
  for (const w of workers) await w.stop();
  await boss?.stop({ graceful: false, wait: true, close: true });
  await store?.close();
  await sim?.close();
  db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mai lab worker', () => {
  it('a heartbeated job longer than its expiry runs once, and the phone takes its next job only after it', async () => {
    const w = await worker('host-w', join(dir, 'devices.yaml'));
    await until('the worker consumes the phone', () => w.owned().includes('phone-w') && log.join('\n').includes('consuming lab-device-phone-w'));
    const sha = await putArtifact(store.sql, convChain({ size: 32, channels: 12 }));
    const cell = (model: string, runs: number): CellJob => ({ night: '2026-12-01', model, precision: 'fp16', device: 'phone-w', sha256: sha, runs, iterations: 20, warmupRuns: 1, throttleRetries: 0, cooldownSec: 0 });
    const queue = deviceQueue('phone-w');
    const long = (await boss.send(queue, cell('long', 40), { expireInSeconds: 1, retryLimit: 3, retryDelay: 1 }))!;
    const next = (await boss.send(queue, cell('next', 2), { expireInSeconds: 1, retryLimit: 3, retryDelay: 1 }))!;
    await until('both jobs completed', async () => (await boss.getJobById(queue, long))?.state === 'completed' && (await boss.getJobById(queue, next))?.state === 'completed');
    const runs = await q<{ model: string; n: number; first: string; last: string }>(
      "SELECT model, COUNT(*)::int AS n, MIN(started_at) AS first, MAX(started_at) AS last FROM lab_runs WHERE night = '2026-12-01' AND status = 'ok' GROUP BY model ORDER BY model",
    );
    expect(runs.map((r) => [r.model, r.n])).toEqual([
      ['long', 40],
      ['next', 2],
    ]);
    const [longRuns, nextRuns] = [runs[0]!, runs[1]!];
    // the premise: the long job outlived its expiry several times over
    expect(Date.parse(longRuns.last) - Date.parse(longRuns.first)).toBeGreaterThan(3000);
    // never failed by timeout, never retried; each benchmark made once
    expect((await boss.getJobById(queue, long))!.retryCount).toBe(0);
    expect(sim.devices[0]!.commands.argvs().filter((a) => a[0]!.endsWith('benchmark_model'))).toHaveLength(42);
    // one active job per phone: the next job's runs all come after the long one's
    expect(Date.parse(nextRuns.first)).toBeGreaterThan(Date.parse(longRuns.last));
  }, 120_000);
});
