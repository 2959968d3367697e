/**
 * Builds on the lab's workers (lab.yaml `build: workers`) on a real
 * PostgreSQL: `mai lab worker --build` processes (no phone) convert, quantize
 * and validate each model × precision once (one job each, ids derived from
 * the night and the build); the phone's worker benchmarks exactly the bytes
 * the build worker stored (hash checked on the phone); the variants equal a
 * host build of the same models; a broken model is the cells' ERROR; a model
 * with its own data folder is refused (exit 2); a build worker SIGKILLed
 * mid-build lets its job expire and run again on another worker.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDevices } from '../../../src/devicelab/config/devices.js';
import type { BuiltVariant } from '../../../src/devicelab/lab/build.js';
import { startWorker, type LabWorker } from '../../../src/devicelab/lab/worker.js';
import { AdbSimServer } from '../../../src/devicelab/sim/server.js';
import { buildEncoderDecoderOnnx } from '../../../src/samples/encoder-decoder.js';
import { mai } from '../../helpers/cli.js';
import { devicesYaml, spawnWorker, type WorkerProcess } from '../../helpers/lab-worker.js';
import { queryPostgres, startTestPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { writeFiles } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-remote-build-'));
const RUNS = 2;
let db: TestPostgres;
let sim: AdbSimServer;
let phoneWorker: LabWorker;
const builders: WorkerProcess[] = [];
const log: string[] = [];

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryPostgres<T>(db.url, sql, params);
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function nightly(night: string, lab: string, ...extra: string[]) {
  return mai('lab', 'nightly', '--config', join(dir, lab), '--devices', join(dir, 'devices.yaml'), '--db', db.url, '--night', night, '--out', join(dir, 'out', night), '--json', '--timeout', '240', '--job-expire', '5', '--maintenance', '1', ...extra);
}

function builder(name: string): WorkerProcess {
  const w = spawnWorker({ db: db.url, devicesFile: join(dir, 'no-phones.yaml'), host: name, extraArgs: ['--build', '--build-cache', join(dir, `cache-${name}`)] });
  builders.push(w);
  return w;
}

const buildJobs = (night: string) =>
  q<{ id: string; model: string; precision: string; state: string; retry_count: number }>(
    "SELECT id, data->>'model' AS model, data->>'precision' AS precision, state, retry_count FROM mai_boss.job WHERE name = 'lab-build' AND data->>'night' = $1 ORDER BY 2, 3",
    [night],
  );

async function variants(night: string): Promise<Map<string, BuiltVariant>> {
  const rows = await q<{ model: string; precision: string; variant: string }>('SELECT model, precision, variant FROM lab_variants WHERE night = $1', [night]);
  return new Map(rows.map((r) => [`${r.model}/${r.precision}`, JSON.parse(r.variant) as BuiltVariant]));
}

const LAB = (models: string, extra = '') => `version: 1\nmodels:\n${models}precisions: [fp32, int8]\ndevices: [phone-1]\nruns: ${RUNS}\niterations: 10\nwarmupRuns: 1\nvalidateSamples: 2\n${extra}`;

beforeAll(async () => {
  db = await startTestPostgres();
  sim = new AdbSimServer({ devices: [{ serial: 'k9000-1' }] });
  await sim.listen(0);
  const models = '  - { name: enc, path: enc.onnx, task: matting }\n  - { name: bad, path: bad.onnx }\n';
  writeFiles(dir, {
    'devices.yaml': devicesYaml([{ id: 'phone-1', serial: 'k9000-1', port: sim.port }]),
    'no-phones.yaml': 'version: 1\ndevices: []\n',
    'enc.onnx': buildEncoderDecoderOnnx({ size: 64, width: 8, seed: 1 }),
    'enc2.onnx': buildEncoderDecoderOnnx({ size: 64, width: 8, seed: 2 }),
    'bad.onnx': new Uint8Array([0x08, 0x07, 0x12, 0xff, 0xff, 0x01, 0x02]),
    'lab.yaml': LAB(models, 'build: workers\n'),
    'lab-host.yaml': LAB(models),
    'lab-kill.yaml': LAB('  - { name: enc2, path: enc2.onnx, task: matting }\n', 'build: workers\n'),
    'lab-data.yaml': LAB('  - { name: enc, path: enc.onnx, task: matting, data: my-photos }\n', 'build: workers\n'),
  });
  phoneWorker = await startWorker({ db: db.url, devicesFile: join(dir, 'devices.yaml'), devicesFileExplicit: true, host: 'phone-host', heartbeatSec: 0.5, pollSec: 0.5, maintenanceSec: 1, stopTimeoutSec: 10, log: (l) => log.push(l) });
  for (let t0 = Date.now(); !phoneWorker.owned().includes('phone-1'); ) {
    if (Date.now() - t0 > 30_000) throw new Error(`the phone's worker did not come up:\n${log.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}, 120_000);

afterAll(async () => {
  for (const w of builders) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
  await phoneWorker?.stop();
  await sim?.close();
  db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('builds on the lab workers (build: workers)', () => {
  it('a night completes with every variant built once by the build worker; the phone runs exactly the stored bytes; a broken model is ERROR', async () => {
    const a = builder('builder-a');
    await a.online(60_000, 'lab-build');
    const r = await nightly('2026-12-01', 'lab.yaml');
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { cells: Array<{ model: string; precision: string; verdict: string; error?: string; runs: { ok: number } }> };
    expect(doc.cells.map((c) => `${c.model}/${c.precision}`).sort()).toEqual(['bad/fp32', 'bad/int8', 'enc/fp32', 'enc/int8']);
    for (const c of doc.cells) {
      if (c.model === 'enc') expect([c.verdict, c.runs.ok]).toEqual(['INSUFFICIENT_DATA', RUNS]);
      else {
        expect(c.verdict).toBe('ERROR');
        expect(c.error).toMatch(/^convert failed: cannot read ONNX model .*bad\.onnx: not a valid protobuf ModelProto/);
        expect(c.error).toContain(join(dir, 'bad.onnx'));
      }
    }
    // one build job per model × precision, each run once, all on the build worker; nothing built on the nightly's host
    const jobs = await buildJobs('2026-12-01');
    expect(jobs.map((j) => [j.model, j.precision, j.state, j.retry_count])).toEqual([
      ['bad', 'fp32', 'completed', 0],
      ['bad', 'int8', 'completed', 0],
      ['enc', 'fp32', 'completed', 0],
      ['enc', 'int8', 'completed', 0],
    ]);
    for (const v of ['enc fp32', 'enc int8', 'bad fp32', 'bad int8']) expect(a.log.join('')).toContain(`builds: ${v} (night 2026-12-01)`);
    expect(existsSync(join(dir, 'out', 'lab-build'))).toBe(false);
    // the bytes stored under each variant's hash are what the phone received and benchmarked
    const stored = await variants('2026-12-01');
    const [entry] = (await loadDevices(join(dir, 'devices.yaml')))!;
    for (const p of ['fp32', 'int8']) {
      const v = stored.get(`enc/${p}`)!;
      expect(v.error).toBeUndefined();
      expect(v.accuracy?.method).toBe('validate');
      const [row] = await q<{ bytes: Buffer }>('SELECT bytes FROM lab_artifacts WHERE sha256 = $1', [v.sha256]);
      expect(sha(row!.bytes)).toBe(v.sha256);
      const onPhone = sim.devices[0]!.fs.readFile(posix.join(entry!.deviceDir, `${v.sha256}.tflite`));
      expect(onPhone && sha(onPhone)).toBe(v.sha256);
    }
    expect(stored.get('enc/fp32')!.sha256).not.toBe(stored.get('enc/int8')!.sha256);
    // the same night again: no new build job, none run again
    const again = await nightly('2026-12-01', 'lab.yaml');
    expect(again.code, again.stderr).toBe(1);
    expect(await buildJobs('2026-12-01')).toEqual(jobs);
  }, 300_000);

  it('the build workers build what the host builds (same bytes, same validation verdict); host builds stay the default', async () => {
    const r = await nightly('2026-12-02', 'lab-host.yaml');
    expect(r.code, r.stderr).toBe(1);
    expect(await buildJobs('2026-12-02')).toEqual([]);
    expect(existsSync(join(dir, 'out', 'lab-build'))).toBe(true);
    const remote = await variants('2026-12-01');
    const host = await variants('2026-12-02');
    for (const k of ['enc/fp32', 'enc/int8']) {
      const [w, h] = [remote.get(k)!, host.get(k)!];
      expect([w.sha256, w.bytes]).toEqual([h.sha256, h.bytes]);
      expect(w.accuracy!.reference).toBe(join(dir, 'enc.onnx'));
      expect(w.accuracy).toEqual(h.accuracy);
      expect(w.thumbnails).toEqual(h.thumbnails);
    }
    // a broken model fails the same way, named by the nightly's path
    for (const k of ['bad/fp32', 'bad/int8']) expect(remote.get(k)!.error).toEqual(host.get(k)!.error);
  }, 300_000);

  it('a remote build of a model with its own data folder, or without PostgreSQL, is exit 2 saying why', async () => {
    const data = await nightly('2026-12-03', 'lab-data.yaml');
    expect(data.code).toBe(2);
    expect(JSON.parse(data.stdout).message).toMatch(/model 'enc' names data .*my-photos: builds on the lab workers validate and calibrate with the bundled samples only/);
    expect(await buildJobs('2026-12-03')).toEqual([]);
    // refused before any connection: the same with a database nobody listens on
    const down = await mai('lab', 'nightly', '--config', join(dir, 'lab-data.yaml'), '--devices', join(dir, 'devices.yaml'), '--db', 'postgres://lab@127.0.0.1:1/mai', '--night', '2026-12-03', '--out', join(dir, 'out-down'), '--json');
    expect(down.code).toBe(2);
    expect(JSON.parse(down.stdout).error).toBe('remote-build-data');
    const sqlite = await mai('lab', 'nightly', '--config', join(dir, 'lab-host.yaml'), '--db', join(dir, 'lab.sqlite'), '--night', '2026-12-03', '--out', join(dir, 'out-sqlite'), '--json', '--build-on', 'workers');
    expect(sqlite.code).toBe(2);
    expect(JSON.parse(sqlite.stdout).message).toMatch(/builds on the lab workers .* go through the shared PostgreSQL database/);
    const bad = await nightly('2026-12-03', 'lab.yaml', '--build-on', 'elsewhere');
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).message).toBe("--build-on expects host or workers, got 'elsewhere'");
  }, 120_000);

  it('no build worker by the deadline: the builds are cancelled and their cells ERROR saying so', async () => {
    for (const w of builders) w.child.kill('SIGTERM');
    for (const w of builders) await w.exited();
    const r = await nightly('2026-12-05', 'lab-kill.yaml', '--timeout', '3');
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as { cells: Array<{ verdict: string; error?: string }> };
    expect(doc.cells).toHaveLength(2);
    for (const c of doc.cells) expect([c.verdict, c.error]).toEqual(['ERROR', "convert failed: no build worker (`mai lab worker --build`) finished this build by the night's deadline"]);
    expect((await buildJobs('2026-12-05')).map((j) => j.state)).toEqual(['cancelled', 'cancelled']);
  }, 120_000);

  it('a build worker SIGKILLed mid-build: its job expires and runs again on another worker; the night completes', async () => {
    const b = builder('builder-b');
    await b.online(60_000, 'lab-build');
    const night = nightly('2026-12-04', 'lab-kill.yaml');
    // kill b while it builds (its log names the build it started and not yet its end)
    for (let t0 = Date.now(); !/builds: enc2 \w+ \(night 2026-12-04\)/.test(b.log.join('')); ) {
      if (Date.now() - t0 > 120_000) throw new Error(`builder-b took no build:\n${b.log.join('')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    b.child.kill('SIGKILL');
    await b.exited();
    const active = (await buildJobs('2026-12-04')).filter((j) => j.state === 'active');
    expect(active).toHaveLength(1);
    const c = builder('builder-c');
    const r = await night;
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { cells: Array<{ verdict: string; runs: { ok: number } }> };
    expect(doc.cells.map((x) => [x.verdict, x.runs.ok])).toEqual([
      ['INSUFFICIENT_DATA', RUNS],
      ['INSUFFICIENT_DATA', RUNS],
    ]);
    const jobs = await buildJobs('2026-12-04');
    expect(jobs.every((j) => j.state === 'completed')).toBe(true);
    // the killed build ran again (after expiring), the others once
    expect(jobs.find((j) => j.id === active[0]!.id)!.retry_count).toBeGreaterThanOrEqual(1);
    expect(c.log.join('')).toContain(`builds: ${active[0]!.model} ${active[0]!.precision} (night 2026-12-04)`);
    const stored = await variants('2026-12-04');
    expect([...stored.keys()].sort()).toEqual(['enc2/fp32', 'enc2/int8']);
    for (const v of stored.values()) expect(v.sha256).toMatch(/^[0-9a-f]{64}$/);
  }, 300_000);
});
