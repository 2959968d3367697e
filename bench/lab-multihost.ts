/**
 * The lab spread over hosts: the same night (4 models × 2 precisions × 2 simulated Kirin 9000,
 * 5 runs per cell) on a real PostgreSQL, once with ONE worker process owning both phones and once
 * with TWO worker processes (one per phone, as on two hosts). Printed as the ratio
 * two-workers / one-worker of the night's wall time, measured in the same run; a warm-up night
 * builds the variants first so both measured nights only benchmark.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLabConfig } from '../src/devicelab/lab/config.js';
import { runQueuedNightly } from '../src/devicelab/lab/queued-night.js';
import { AdbSimServer } from '../src/devicelab/sim/server.js';
import { IrBuilder } from '../tests/helpers/ir-builder.js';
import { devicesYaml, spawnWorker, type WorkerProcess } from '../tests/helpers/lab-worker.js';
import { startTestPostgres } from '../tests/helpers/postgres.js';
import { writeTflite } from '../src/tflite/writer.js';

const MODELS = 4;
const RUNS = 5;

function model(channels: number, seed: number): Uint8Array {
  const b = new IrBuilder(seed);
  let x = b.input('image', [1, 96, 96, 3]);
  for (let i = 0; i < 3; i++) x = b.conv2d(x, { out: channels, k: 3, activation: 'RELU' });
  b.output(b.unary('LOGISTIC', b.conv2d(x, { out: 1, k: 1 })));
  return writeTflite(b.graph);
}

export async function runLabMultihostBench() {
  const dir = mkdtempSync(join(tmpdir(), 'mai-bench-multihost-'));
  const pg = await startTestPostgres();
  const sims = [new AdbSimServer({ devices: [{ serial: 'k9000-a' }] }), new AdbSimServer({ devices: [{ serial: 'k9000-b' }] })];
  const workers: WorkerProcess[] = [];
  try {
    for (const s of sims) await s.listen(0);
    const phones = [{ id: 'phone-a', serial: 'k9000-a', port: sims[0]!.port }, { id: 'phone-b', serial: 'k9000-b', port: sims[1]!.port }];
    writeFileSync(join(dir, 'devices.yaml'), devicesYaml(phones));
    writeFileSync(join(dir, 'devices-a.yaml'), devicesYaml([phones[0]!]));
    writeFileSync(join(dir, 'devices-b.yaml'), devicesYaml([phones[1]!]));
    const lines = ['version: 1', 'models:'];
    for (let i = 0; i < MODELS; i++) {
      writeFileSync(join(dir, `m${i}.tflite`), model(16 + 8 * i, i + 1));
      lines.push(`  - { name: m${i}, path: m${i}.tflite }`);
    }
    lines.push('precisions: [fp32, fp16]', 'devices: [kirin9000]', `runs: ${RUNS}`, 'iterations: 50');
    writeFileSync(join(dir, 'lab.yaml'), lines.join('\n') + '\n');
    const config = await loadLabConfig(join(dir, 'lab.yaml'));
    const night = async (n: string) => {
      const t = performance.now();
      const r = await runQueuedNightly({ config, night: n, outDir: join(dir, 'out', n), db: pg.url, devicesFile: join(dir, 'devices.yaml'), devicesFileExplicit: true, timeoutSec: 600, jobExpireSec: 30, maintenanceSec: 1, retryLimit: 3, pollMs: 100 });
      if (r.cells.some((c) => c.verdict === 'NOT_RUN')) throw new Error(`night ${n}: cells not run`);
      return performance.now() - t;
    };
    const stopAll = async () => {
      for (const w of workers.splice(0)) {
        w.child.kill('SIGTERM');
        await w.exited();
      }
    };
    // one worker owning both phones (both adb servers in its devices.yaml)
    workers.push(spawnWorker({ db: pg.url, devicesFile: join(dir, 'devices.yaml'), host: 'one-host' }));
    await workers[0]!.online();
    await new Promise((r) => setTimeout(r, 1000));
    await night('2026-12-01'); // warm-up: builds the variants
    const oneMs = await night('2026-12-02');
    await stopAll();
    // two workers, one phone each
    workers.push(spawnWorker({ db: pg.url, devicesFile: join(dir, 'devices-a.yaml'), host: 'host-a' }), spawnWorker({ db: pg.url, devicesFile: join(dir, 'devices-b.yaml'), host: 'host-b' }));
    await Promise.all(workers.map((w) => w.online()));
    const twoMs = await night('2026-12-03');
    const result = {
      name: 'lab-multihost-4x2x2',
      cells: MODELS * 2 * 2,
      runsPerCell: RUNS,
      oneWorkerNightSec: +(oneMs / 1000).toFixed(1),
      twoWorkersNightSec: +(twoMs / 1000).toFixed(1),
      twoVsOneWorker: +(twoMs / oneMs).toFixed(2),
    };
    process.stderr.write(`lab multihost: one worker (both phones) ${result.oneWorkerNightSec} s, two workers (a phone each) ${result.twoWorkersNightSec} s → ×${result.twoVsOneWorker}\n`);
    return result;
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(sims.map((s) => s.close()));
    pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runLabMultihostBench(), null, 2));
