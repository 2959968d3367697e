/**
 * A pool of lab.yaml on a real PostgreSQL: two phones of one kind, each on its
 * own host's worker (its own simulated adb server), share the pool's cells:
 * every cell runs once, all its runs on one phone, each phone one cell at a
 * time, both phones take part; the pool's name is the cells' device. A pool
 * mixing device classes, or named like a device, is exit 2; a pool none of
 * whose phones has a worker is NOT_RUN (device offline) at the deadline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker, type LabWorker } from '../../../src/devicelab/lab/worker.js';
import { AdbSimServer } from '../../../src/devicelab/sim/server.js';
import { readTflite } from '../../../src/tflite/reader.js';
import { mai } from '../../helpers/cli.js';
import { devicesYaml } from '../../helpers/lab-worker.js';
import { queryPostgres, startTestPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { convChain, writeFiles } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-pools-'));
const MODELS = ['m1', 'm2', 'm3', 'm4'];
const RUNS = 4;
let db: TestPostgres;
const sims: AdbSimServer[] = [];
const workers: LabWorker[] = [];
const log: string[] = [];

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryPostgres<T>(db.url, sql, params);

function nightly(night: string, lab: string, timeoutSec = 120) {
  return mai('lab', 'nightly', '--config', join(dir, lab), '--devices', join(dir, 'devices.yaml'), '--db', db.url, '--night', night, '--out', join(dir, 'out', night), '--json', '--timeout', String(timeoutSec), '--job-expire', '5', '--maintenance', '1');
}

beforeAll(async () => {
  db = await startTestPostgres();
  for (const serial of ['k9000-1', 'k9000-2']) {
    // each benchmark_model holds its phone 100 ms, as a real run does: one phone cannot drain the pool's
    // 32 runs before the other host's worker has polled its queue
    const s = new AdbSimServer({ devices: [{ serial }], readGraph: async (bytes, file) => (await new Promise((r) => setTimeout(r, 100)), readTflite(bytes, file)) });
    await s.listen(0);
    sims.push(s);
  }
  const phones = sims.map((s, i) => ({ id: `phone-${i + 1}`, serial: `k9000-${i + 1}`, port: s.port }));
  const files: Record<string, string | Uint8Array> = {
    'devices.yaml': devicesYaml(phones),
    'devices-1.yaml': devicesYaml([phones[0]!]),
    'devices-2.yaml': devicesYaml([phones[1]!]),
    'lab.yaml': `version: 1\nmodels:\n${MODELS.map((m) => `  - { name: ${m}, path: ${m}.tflite }\n`).join('')}precisions: [fp32, fp16]\npools:\n  - { name: k9000-pool, devices: [kirin9000] }\nruns: ${RUNS}\niterations: 20\nwarmupRuns: 1\n`,
    'mixed.yaml': 'version: 1\nmodels:\n  - { name: m1, path: m1.tflite }\npools:\n  - { name: mixed, devices: [phone-1, other] }\n',
    'clash.yaml': 'version: 1\nmodels:\n  - { name: m1, path: m1.tflite }\npools:\n  - { name: phone-1, devices: [kirin9000] }\n',
  };
  files['devices.yaml'] += '  - id: other\n    tags: [other]\n    serial: other-1\n    adb: 127.0.0.1:1\n    class: kirin990\n';
  MODELS.forEach((m, i) => (files[`${m}.tflite`] = convChain({ size: 32, channels: 8 + 4 * i, seed: i + 1 })));
  writeFiles(dir, files);
  for (const h of [1, 2]) {
    workers.push(
      await startWorker({ db: db.url, devicesFile: join(dir, `devices-${h}.yaml`), devicesFileExplicit: true, host: `host-${h}`, heartbeatSec: 0.5, pollSec: 0.5, maintenanceSec: 1, stopTimeoutSec: 10, log: (l) => log.push(`host-${h}: ${l}`) }),
    );
  }
  for (let t0 = Date.now(); !workers.every((w, i) => w.owned().includes(`phone-${i + 1}`)); ) {
    if (Date.now() - t0 > 30_000) throw new Error(`workers did not come up:\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}, 120_000);

afterAll(async () => {
  for (const w of workers) await w.stop();
  await Promise.all(sims.map((s) => s.close()));
  db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('lab.yaml pools on PostgreSQL', () => {
  it("the phones of a pool, on two hosts, share its cells: each cell once, on one phone, one cell at a time per phone", async () => {
    const r = await nightly('2026-12-01', 'lab.yaml');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { cells: Array<{ device: string; verdict: string; runs: { ok: number } }>; devices: Array<{ id: string; online: boolean }> };
    expect(doc.cells).toHaveLength(8);
    for (const c of doc.cells) expect([c.device, c.verdict, c.runs.ok]).toEqual(['k9000-pool', 'INSUFFICIENT_DATA', RUNS]);
    expect(doc.devices).toEqual([expect.objectContaining({ id: 'k9000-pool', online: true })]);
    // which phone (deploy row) and host (lab row) made each run
    const runs = await q<{ model: string; precision: string; serial: string; worker: string; at: string }>(
      "SELECT l.model, l.precision, r.device_serial AS serial, l.worker, l.started_at AS at FROM lab_runs l JOIN runs r ON r.id = l.run_id WHERE l.night = '2026-12-01' AND l.status = 'ok' ORDER BY l.started_at",
    );
    expect(runs).toHaveLength(8 * RUNS);
    const cells = new Map<string, typeof runs>();
    for (const x of runs) cells.set(`${x.model}/${x.precision}`, [...(cells.get(`${x.model}/${x.precision}`) ?? []), x]);
    expect(cells.size).toBe(8);
    for (const rs of cells.values()) {
      // all runs of a cell on one phone, by the worker of that phone's host
      expect(new Set(rs.map((x) => x.serial)).size).toBe(1);
      expect(rs.every((x) => x.worker === (x.serial === 'k9000-1' ? 'host-1' : 'host-2'))).toBe(true);
    }
    // both phones took part
    expect(new Set(runs.map((x) => x.serial))).toEqual(new Set(['k9000-1', 'k9000-2']));
    // one cell at a time per phone: a phone's runs, in time order, never switch back to a cell it left
    for (const serial of ['k9000-1', 'k9000-2']) {
      const order = runs.filter((x) => x.serial === serial).map((x) => `${x.model}/${x.precision}`);
      const blocks = order.filter((c, i) => i === 0 || c !== order[i - 1]);
      expect(new Set(blocks).size).toBe(blocks.length);
    }
    // each simulator ran exactly the benchmarks of its phone's cells
    const bench = (s: AdbSimServer) => s.devices[0]!.commands.argvs().filter((a) => a[0]!.endsWith('benchmark_model')).length;
    expect(sims.map(bench)).toEqual(['k9000-1', 'k9000-2'].map((s) => runs.filter((x) => x.serial === s).length));
  }, 120_000);

  it('a pool whose phones have no worker: its cells are NOT_RUN (device offline) at the deadline', async () => {
    await workers[0]!.stop();
    await workers[1]!.stop();
    const r = await nightly('2026-12-02', 'lab.yaml', 4);
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout) as { cells: Array<{ verdict: string; error?: string }> };
    expect(doc.cells).toHaveLength(8);
    for (const c of doc.cells) {
      expect(c.verdict).toBe('NOT_RUN');
      expect(c.error).toBe('device offline: no worker owned a phone of pool k9000-pool (phone-1, phone-2) by the night\'s deadline');
    }
  }, 120_000);

  it('a pool mixing device classes, or named like a device, is exit 2 naming it', async () => {
    const mixed = await nightly('2026-12-03', 'mixed.yaml');
    expect(mixed.code).toBe(2);
    expect(JSON.parse(mixed.stdout).message).toMatch(/pool 'mixed' mixes device classes \(kirin9000, kirin990\)/);
    const clash = await nightly('2026-12-03', 'clash.yaml');
    expect(clash.code).toBe(2);
    expect(JSON.parse(clash.stdout).message).toMatch(/pool 'phone-1' has the name of a device of/);
  }, 60_000);
});
