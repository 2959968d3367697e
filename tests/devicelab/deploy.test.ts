import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mai } from '../helpers/cli.js';
import { adbClient } from '../../src/devicelab/adb/adbkit.js';
import { embeddedSimEntry, type DeviceEntry } from '../../src/devicelab/config/devices.js';
import { deployOne, loadModel } from '../../src/devicelab/deploy/deploy.js';
import { AdbSimServer } from '../../src/devicelab/sim/server.js';
import { ResultsStore } from '../../src/devicelab/store/results.js';
import { argMaxModel, fiveDModel, gpuFriendlyModel, SELFIE, writeModel } from './models.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-deploy-'));
const EMPTY_DEVICES = join(dir, 'no-devices.yaml');
writeFileSync(EMPTY_DEVICES, 'version: 1\ndevices: []\n');
const savedPort = process.env.ADB_PORT;

beforeAll(() => {
  // No adb server for the "no entry, no server → simulator" path (port 1 never answers).
  process.env.ADB_PORT = '1';
});
afterAll(() => {
  if (savedPort === undefined) delete process.env.ADB_PORT;
  else process.env.ADB_PORT = savedPort;
});

const rows = (db: string) => {
  const d = new Database(db, { readonly: true });
  const r = d.prepare('SELECT * FROM runs ORDER BY id').all() as Array<Record<string, unknown>>;
  d.close();
  return r;
};

describe('mai deploy on the embedded simulated Kirin 9000', () => {
  it('runs selfie_segmentation with no devices.yaml entry and no adb server, says so in one line, stores a simulated row', async () => {
    const db = join(dir, 'a.db');
    const r = await mai('deploy', SELFIE, '--device', 'kirin9000', '--devices', EMPTY_DEVICES, '--db', db, '--runs', '20', '--warmup-runs', '2');
    expect(r.code).toBe(0);
    const notices = r.stderr.split('\n').filter((l) => l.includes('embedded SIMULATED Kirin 9000'));
    expect(notices).toHaveLength(1);
    expect(r.stdout).toMatch(/selfie_segmentation\.tflite\s+sim-kirin9000 \(SIMULATED\)\s+fp16\s+full/);
    const [row] = rows(db);
    expect(row).toMatchObject({ status: 'ok', simulated: 1, precision: 'fp16', delegation: 'full', device_model: 'NOH-AN00', platform: 'kirin9000', android_version: '10', num_runs: 20, throttled: 0 });
    expect(row!.avg_us as number).toBeGreaterThan(500);
    expect(row!.avg_us as number).toBeLessThan(20000);
    expect(JSON.parse(row!.flags as string)).toEqual(expect.arrayContaining(['--use_gpu=true', '--require_full_delegation=true', '--num_runs=20', '--min_secs=0']));
    expect(JSON.parse(row!.health_before as string).thermalC.gpu).toBeGreaterThan(20);
  });

  it('--json prints one document with the runs, marked simulated', async () => {
    const r = await mai('deploy', SELFIE, '--device', 'kirin9000', '--devices', EMPTY_DEVICES, '--no-store', '--runs', '5', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.simulated).toBe(true);
    expect(doc.runs[0].status).toBe('ok');
    expect(doc.runs[0].parse.inferenceAvgUs).toBeGreaterThan(0);
    expect(r.stderr).toBe('');
  });

  it('a model with an op the GPU delegate rejects fails --require_full_delegation (exit 1) and is stored as rejected', async () => {
    const db = join(dir, 'b.db');
    const model = writeModel(dir, 'argmax.tflite', argMaxModel());
    const r = await mai('deploy', model, '--device', 'kirin9000', '--devices', EMPTY_DEVICES, '--db', db);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('not on the GPU: ARG_MAX: Operation is not supported.');
    expect(r.stderr).toContain('refused by --require_full_delegation');
    const [row] = rows(db);
    expect(row).toMatchObject({ status: 'rejected', simulated: 1, avg_us: null, delegation: 'partial' });
    expect(JSON.parse(row!.unsupported_ops as string)).toEqual([{ op: 'ARG_MAX', message: 'Operation is not supported.' }]);
    expect(row!.raw_output as string).toContain('ERROR: Disallowed CPU fallback detected.');
  });

  it('a model with a 5-D tensor: the RESHAPEs are rejected with the delegate tensor message; without full delegation it runs partially', async () => {
    const model = writeModel(dir, 'five_d.tflite', fiveDModel());
    const strict = await mai('deploy', model, '--device', 'kirin9000', '--devices', EMPTY_DEVICES, '--no-store', '--json');
    expect(strict.code).toBe(1);
    const run = JSON.parse(strict.stdout).runs[0];
    expect(run.status).toBe('rejected');
    expect(run.parse.unsupportedOps).toEqual([{ op: 'RESHAPE', message: "OP is supported, but tensor type/shape isn't compatible." }]);
    expect(run.parse.delegation).toMatchObject({ gpuOps: 1, cpuOps: 2 });
    const lax = await mai('deploy', model, '--device', 'kirin9000', '--devices', EMPTY_DEVICES, '--no-store', '--flag', '--require_full_delegation=false', '--json');
    expect(lax.code).toBe(0);
    expect(JSON.parse(lax.stdout).runs[0].parse.delegation).toMatchObject({ status: 'partial', kernels: 1 });
  });

  it('exits 1 when a latency budget fails, 0 when it passes', async () => {
    const model = writeModel(dir, 'tiny_net.tflite', gpuFriendlyModel());
    const tight = join(dir, 'tight.yaml');
    writeFileSync(tight, 'version: 1\nmodels:\n  tiny_net:\n    latency:\n      kirin9000: 0.01\n');
    const loose = join(dir, 'loose.yaml');
    writeFileSync(loose, 'version: 1\nmodels:\n  tiny_net:\n    latency:\n      kirin9000: 50\n');
    const fail = await mai('deploy', model, '--device', 'kirin9000', '--devices', EMPTY_DEVICES, '--no-store', '--budgets', tight);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toContain('FAIL (≤0.01 ms)');
    expect(fail.stderr).toContain('latency budget failed');
    const pass = await mai('deploy', model, '--device', 'kirin9000', '--devices', EMPTY_DEVICES, '--no-store', '--budgets', loose);
    expect(pass.code).toBe(0);
    expect(pass.stdout).toContain('PASS (≤50 ms)');
  });

  it('an unknown device id is a clear exit-2 error', async () => {
    const r = await mai('deploy', SELFIE, '--device', 'pixel9', '--devices', EMPTY_DEVICES, '--no-store');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no device in");
  });
});

describe('deploy against a running simulator: tags, hash skip, faults, store', () => {
  let sim: AdbSimServer;
  let port = 0;
  let store: ResultsStore;
  const dbPath = join(dir, 'faults.db');

  beforeAll(async () => {
    sim = new AdbSimServer({ devices: [{ serial: 'k9000-a' }, { serial: 'k9000-b' }] });
    port = (await sim.listen(0)).port;
    store = await ResultsStore.open(dbPath);
    opts = { store, backoffMs: 5, runs: 10, warmupRuns: 1 };
  });
  afterAll(async () => {
    await store.close();
    await sim.close();
  });
  afterEach(() => {
    for (const d of sim.devices) d.faults = {};
  });

  const entry = (serial: string, over: Partial<DeviceEntry> = {}): DeviceEntry => ({ ...embeddedSimEntry('kirin9000'), id: serial, serial, adb: { host: '127.0.0.1', port }, retries: 2, ...over });
  let opts: { store: ResultsStore; backoffMs: number; runs: number; warmupRuns: number };

  it('a tag runs every matching device in parallel (one job per device) through devices.yaml', async () => {
    const yaml = join(dir, 'lab.yaml');
    writeFileSync(
      yaml,
      `version: 1\ndevices:\n  - id: a\n    tags: [kirin9000]\n    serial: k9000-a\n    adb: 127.0.0.1:${port}\n  - id: b\n    tags: [kirin9000]\n    serial: k9000-b\n    adb: 127.0.0.1:${port}\n  - id: other\n    tags: [pixel]\n    serial: nothere\n    adb: 127.0.0.1:${port}\n`,
    );
    const db = join(dir, 'tag.db');
    const r = await mai('deploy', SELFIE, '--device', 'kirin9000', '--devices', yaml, '--db', db, '--runs', '5', '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.runs.map((x: { device: string }) => x.device).sort()).toEqual(['a', 'b']);
    expect(rows(db).map((x) => x.device_serial).sort()).toEqual(['k9000-a', 'k9000-b']);
    expect(rows(db).every((x) => x.simulated === 1)).toBe(true);
  });

  it('devices.yaml class: picks the simulated phone: the same model is slower on an embedded Kirin 990 than on the Kirin 9000', async () => {
    const yaml = join(dir, 'profiles.yaml');
    writeFileSync(
      yaml,
      'version: 1\ndevices:\n  - { id: k9000, tags: [mix], serial: sim-k9000, adb: embedded, class: kirin9000 }\n  - { id: k990, tags: [mix], serial: sim-k990, adb: embedded, class: kirin990 }\n',
    );
    const r = await mai('deploy', SELFIE, '--device', 'mix', '--devices', yaml, '--db', join(dir, 'profiles.db'), '--runs', '10', '--json');
    expect(r.code).toBe(0);
    const avg = (id: string) => JSON.parse(r.stdout).runs.find((x: { device: string }) => x.device === id).parse.inferenceAvgUs as number;
    expect(avg('k990')).toBeGreaterThan(avg('k9000') * 1.1); // selfie is mostly fixed and per-kernel cost: ≈ 1.15×
  });

  it('skips the push when the device has the same content hash (--keep), pushes again after cleanup', async () => {
    const model = await loadModel(SELFIE);
    const client = adbClient('127.0.0.1', port);
    const first = await deployOne(client, entry('k9000-a'), model, { ...opts, keep: true });
    expect(first.status).toBe('ok');
    const second = await deployOne(client, entry('k9000-a'), model, { ...opts, keep: true });
    expect(second.pushed).toEqual({ model: false, benchmark: false });
    expect(sim.device('k9000-a')!.fs.get(`/data/local/tmp/mai/${model.sha256}.tflite`)?.type).toBe('file');
    const third = await deployOne(client, entry('k9000-a'), model, opts);
    expect(third.pushed.model).toBe(false);
    // Pushed under its content hash; --keep left it there, the run without --keep removed it.
    expect(sim.device('k9000-a')!.fs.get(`/data/local/tmp/mai/${model.sha256}.tflite`)).toBeUndefined();
    expect(sim.device('k9000-a')!.fs.list('/data/local/tmp/mai').map((f) => f.name)).toEqual(['benchmark_model']);
    const fourth = await deployOne(client, entry('k9000-a'), model, opts);
    expect(fourth.pushed.model).toBe(true);
  });

  it('fault: a disconnect in the middle of a push is retried and succeeds', async () => {
    const model = await loadModel(SELFIE);
    sim.device('k9000-b')!.faults = { disconnectMidPush: { count: 1, afterBytes: 65536 } };
    const progress: string[] = [];
    const r = await deployOne(adbClient('127.0.0.1', port), entry('k9000-b'), model, { ...opts, progress: (l) => progress.push(l) });
    expect(r.status).toBe('ok');
    expect(r.pushed.model).toBe(true);
    expect(progress.some((l) => /attempt 1 failed .*retrying/.test(l))).toBe(true);
    expect(sim.device('k9000-b')!.faults.disconnectMidPush!.count).toBe(0);
  });

  it('fault: disconnects on every push end in a clear exit-3 error and no row', async () => {
    const before = (await store.runs()).length;
    const model = await loadModel(writeModel(dir, 'other.tflite', gpuFriendlyModel()));
    sim.device('k9000-b')!.faults = { disconnectMidPush: { count: 99, afterBytes: 1 } };
    const r = await deployOne(adbClient('127.0.0.1', port), entry('k9000-b'), model, opts);
    expect(r.status).toBe('failed');
    expect(r.exit).toBe(3);
    expect(r.error).toMatch(/push other\.tflite failed after 3 attempt\(s\)/);
    expect((await store.runs()).length).toBe(before);
  });

  it('fault: a benchmark crash (SIGSEGV) is retried; the stored row counts the attempts', async () => {
    const model = await loadModel(SELFIE);
    sim.device('k9000-a')!.faults = { benchmarkCrash: { count: 1 } };
    const r = await deployOne(adbClient('127.0.0.1', port), entry('k9000-a'), model, opts);
    expect(r.status).toBe('ok');
    expect(r.attempts).toBe(2);
    expect((await store.runs()).find((x) => x.id === r.rowId)).toMatchObject({ attempts: 2, status: 'ok' });
  });

  it('fault: a benchmark that always crashes is an exit-3 error', async () => {
    const model = await loadModel(SELFIE);
    sim.device('k9000-a')!.faults = { benchmarkCrash: { count: 99 } };
    const r = await deployOne(adbClient('127.0.0.1', port), entry('k9000-a'), model, opts);
    expect(r.exit).toBe(3);
    expect(r.error).toMatch(/benchmark_model failed after 3 attempt\(s\): benchmark_model crashed \(exit 139, SIGSEGV\)/);
  });

  it('fault: a hung benchmark hits the timeout and the retry succeeds', async () => {
    const model = await loadModel(SELFIE);
    sim.device('k9000-a')!.faults = { benchmarkHang: { count: 1 } };
    const r = await deployOne(adbClient('127.0.0.1', port), entry('k9000-a', { timeoutSec: 1 }), model, opts);
    expect(r.status).toBe('ok');
    expect(r.attempts).toBe(2);
  });

  it('fault: a hot device is flagged throttled and runs slower (capped GPU clock)', async () => {
    const model = await loadModel(SELFIE);
    const cool = await deployOne(adbClient('127.0.0.1', port), entry('k9000-b'), model, opts);
    sim.device('k9000-b')!.faults = { hot: true };
    const hot = await deployOne(adbClient('127.0.0.1', port), entry('k9000-b'), model, opts);
    expect(cool.throttled).toBe(false);
    expect(hot.throttled).toBe(true);
    expect(hot.healthBefore!.gpuMaxMHz).toBe(455);
    expect(hot.parse!.inferenceAvgUs!).toBeGreaterThan(cool.parse!.inferenceAvgUs! * 1.15);
    expect((await store.runs()).find((x) => x.id === hot.rowId)!.throttled).toBe(1);
  });

  it('the store never holds a half-written run: a failing insert leaves nothing, earlier runs stay', async () => {
    const before = (await store.runs());
    const complete = before[before.length - 1]!;
    const { id: _id, ...row } = complete;
    await expect(store.addRun({ ...row, run_uuid: 'broken', model_sha256: null as unknown as string })).rejects.toThrow();
    expect((await store.runs())).toEqual(before);
    for (const r of (await store.runs())) {
      expect(r.finished_at).toBeTruthy();
      if (r.status === 'ok') expect(r.avg_us).not.toBeNull();
    }
  });
});
