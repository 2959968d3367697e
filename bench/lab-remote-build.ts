/**
 * Builds on the lab's workers (lab.yaml `build: workers`) against builds on
 * the nightly's host, on a real PostgreSQL: the same matrix (4 ONNX
 * encoder-decoders × fp32 / int8, task matting: convert, quantize with the
 * bundled samples, validate) built once by the host and once by TWO build-only
 * workers (`mai lab worker --build`, separate processes, empty caches), each
 * night with one simulated phone benchmarking 1 run per cell. Printed as the
 * ratio workers / host of the night's wall time, measured in the same run.
 * On a machine with few cores the two build workers share them with each
 * other and the phone's worker: the ratio shows the queue's overhead as much
 * as the parallelism.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLabConfig } from '../src/devicelab/lab/config.js';
import { runQueuedNightly } from '../src/devicelab/lab/queued-night.js';
import { AdbSimServer } from '../src/devicelab/sim/server.js';
import { buildEncoderDecoderOnnx } from '../src/samples/encoder-decoder.js';
import { devicesYaml, spawnWorker, type WorkerProcess } from '../tests/helpers/lab-worker.js';
import { startTestPostgres } from '../tests/helpers/postgres.js';

const MODELS = 4;

export async function runLabRemoteBuildBench() {
  const dir = mkdtempSync(join(tmpdir(), 'mai-bench-remote-build-'));
  const pg = await startTestPostgres();
  const sim = new AdbSimServer({ devices: [{ serial: 'k9000-a' }] });
  const workers: WorkerProcess[] = [];
  try {
    await sim.listen(0);
    writeFileSync(join(dir, 'devices.yaml'), devicesYaml([{ id: 'phone-a', serial: 'k9000-a', port: sim.port }]));
    writeFileSync(join(dir, 'no-phones.yaml'), 'version: 1\ndevices: []\n');
    const lines = ['version: 1', 'models:'];
    for (let i = 0; i < MODELS; i++) {
      writeFileSync(join(dir, `m${i}.onnx`), buildEncoderDecoderOnnx({ size: 128, width: 8 + 4 * i, seed: i + 1 }));
      lines.push(`  - { name: m${i}, path: m${i}.onnx, task: matting }`);
    }
    lines.push('precisions: [fp32, int8]', 'devices: [phone-a]', 'runs: 1', 'iterations: 5', 'warmupRuns: 0', 'validateSamples: 2');
    writeFileSync(join(dir, 'lab.yaml'), lines.join('\n') + '\n');
    const config = await loadLabConfig(join(dir, 'lab.yaml'));
    const night = async (n: string, buildOn: 'host' | 'workers') => {
      const t = performance.now();
      const r = await runQueuedNightly({ config, night: n, outDir: join(dir, 'out', n), db: pg.url, devicesFile: join(dir, 'devices.yaml'), devicesFileExplicit: true, buildOn, timeoutSec: 900, jobExpireSec: 60, maintenanceSec: 1, retryLimit: 2, pollMs: 100 });
      const bad = r.cells.filter((c) => c.verdict === 'NOT_RUN' || c.verdict === 'ERROR');
      if (bad.length) throw new Error(`night ${n}: ${bad.map((c) => `${c.model}/${c.precision} ${c.verdict} ${c.error ?? ''}`).join('; ')}`);
      return performance.now() - t;
    };
    workers.push(spawnWorker({ db: pg.url, devicesFile: join(dir, 'devices.yaml'), host: 'phone-host' }));
    for (const h of ['builder-1', 'builder-2']) workers.push(spawnWorker({ db: pg.url, devicesFile: join(dir, 'no-phones.yaml'), host: h, extraArgs: ['--build', '--build-cache', join(dir, `cache-${h}`)] }));
    await workers[0]!.online();
    await Promise.all(workers.slice(1).map((w) => w.online(60_000, 'lab-build')));
    const hostMs = await night('2026-12-01', 'host');
    const workersMs = await night('2026-12-02', 'workers');
    const result = {
      name: 'lab-remote-build-4x2',
      variants: MODELS * 2,
      hostBuildNightSec: +(hostMs / 1000).toFixed(1),
      twoBuildWorkersNightSec: +(workersMs / 1000).toFixed(1),
      workersVsHost: +(workersMs / hostMs).toFixed(2),
    };
    process.stderr.write(`lab remote builds (${result.variants} variants): host builds ${result.hostBuildNightSec} s, two build workers ${result.twoBuildWorkersNightSec} s → ×${result.workersVsHost}\n`);
    return result;
  } finally {
    for (const w of workers) w.child.kill('SIGKILL');
    await sim.close();
    pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runLabRemoteBuildBench(), null, 2));
