/**
 * The lab spread over hosts, where it scales: phones. A lab.yaml pool of two
 * simulated Kirin 9000, each behind its own host's worker (its own adb
 * server), on a real PostgreSQL. The same night (4 models × 2 precisions,
 * 3 runs per cell) runs with TWO hosts' workers and a phone each, then, the
 * second host's worker stopped, with ONE; printed as the ratio two-hosts /
 * one-host of the night's wall time, measured in the same run (ideal 0.5).
 * A warm-up night builds the variants first so the measured nights only
 * benchmark.
 *
 * A real phone is busy for the whole benchmark_model process while its host
 * waits; the simulator answers at once, so here each simulated
 * benchmark_model holds its phone for PHONE_BUSY_MS of wall time (through the
 * simulator's graph-reading hook). Without it the night measures this
 * machine's CPU, not the lab's phones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLabConfig } from '../src/devicelab/lab/config.js';
import { runQueuedNightly } from '../src/devicelab/lab/queued-night.js';
import { AdbSimServer } from '../src/devicelab/sim/server.js';
import { readTflite } from '../src/tflite/reader.js';
import { IrBuilder } from '../tests/helpers/ir-builder.js';
import { devicesYaml, spawnWorker, type WorkerProcess } from '../tests/helpers/lab-worker.js';
import { startTestPostgres } from '../tests/helpers/postgres.js';
import { writeTflite } from '../src/tflite/writer.js';

const MODELS = 4;
const RUNS = 3;
/** wall time one benchmark_model process holds a simulated phone (a real Kirin 9000 run of 50 iterations: 0.3–2 s) */
const PHONE_BUSY_MS = 1000;

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
  const busyPhone = { readGraph: async (bytes: Uint8Array, file: string) => (await new Promise((r) => setTimeout(r, PHONE_BUSY_MS)), readTflite(bytes, file)) };
  const sims = [new AdbSimServer({ devices: [{ serial: 'k9000-a' }], ...busyPhone }), new AdbSimServer({ devices: [{ serial: 'k9000-b' }], ...busyPhone })];
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
    lines.push('precisions: [fp32, fp16]', 'pools:', '  - { name: kirin9000-pool, devices: [kirin9000] }', `runs: ${RUNS}`, 'iterations: 50');
    writeFileSync(join(dir, 'lab.yaml'), lines.join('\n') + '\n');
    const config = await loadLabConfig(join(dir, 'lab.yaml'));
    const night = async (n: string) => {
      const t = performance.now();
      const r = await runQueuedNightly({ config, night: n, outDir: join(dir, 'out', n), db: pg.url, devicesFile: join(dir, 'devices.yaml'), devicesFileExplicit: true, timeoutSec: 600, jobExpireSec: 30, maintenanceSec: 1, retryLimit: 3, pollMs: 100 });
      if (r.cells.some((c) => c.verdict === 'NOT_RUN')) throw new Error(`night ${n}: cells not run`);
      return performance.now() - t;
    };
    const benchmarks = (s: AdbSimServer) => s.devices[0]!.commands.argvs().filter((a) => a[0]!.endsWith('benchmark_model')).length;
    workers.push(spawnWorker({ db: pg.url, devicesFile: join(dir, 'devices-a.yaml'), host: 'host-a' }), spawnWorker({ db: pg.url, devicesFile: join(dir, 'devices-b.yaml'), host: 'host-b' }));
    await Promise.all(workers.map((w) => w.online()));
    await night('2026-12-01'); // warm-up: builds the variants
    // two hosts, a phone each
    const before = sims.map(benchmarks);
    const twoMs = await night('2026-12-02');
    const share = sims.map((s, i) => benchmarks(s) - before[i]!);
    // one host, one phone: the second host's worker stops
    workers[1]!.child.kill('SIGTERM');
    await workers[1]!.exited();
    const oneMs = await night('2026-12-03');
    const result = {
      name: 'lab-multihost-pool-4x2',
      cells: MODELS * 2,
      runsPerCell: RUNS,
      phoneBusyMs: PHONE_BUSY_MS,
      oneHostNightSec: +(oneMs / 1000).toFixed(1),
      twoHostsNightSec: +(twoMs / 1000).toFixed(1),
      twoHostsBenchmarksPerPhone: share,
      twoVsOneHost: +(twoMs / oneMs).toFixed(2),
    };
    process.stderr.write(`lab multihost (a pool of Kirin 9000): one host + phone ${result.oneHostNightSec} s, two hosts + a phone each ${result.twoHostsNightSec} s (benchmarks per phone ${share.join(' / ')}) → ×${result.twoVsOneHost}\n`);
    return result;
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
    await Promise.all(sims.map((s) => s.close()));
    pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runLabMultihostBench(), null, 2));
