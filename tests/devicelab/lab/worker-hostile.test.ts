/**
 * Names are data through the multi-host lab, on a real PostgreSQL: hostile
 * model names and file paths go through `mai lab nightly --db postgres://…`
 * and one `mai lab worker`; the worker's simulated phone runs only the
 * intended argv (the artefact pushed as `<deviceDir>/<sha256>.tflite`) and the
 * rows carry the display name once per run. A job payload tampered with in the
 * queue (shell syntax in the hash, the model, an extra device path) is refused
 * by the worker's validation and never reaches the phone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseDevices, type DeviceEntry } from '../../../src/devicelab/config/devices.js';
import { deviceQueue, openBoss } from '../../../src/devicelab/lab/queue.js';
import type { SimDevice } from '../../../src/devicelab/sim/device.js';
import { AdbSimServer } from '../../../src/devicelab/sim/server.js';
import { mai } from '../../helpers/cli.js';
import { devicesYaml, spawnWorker, type WorkerProcess } from '../../helpers/lab-worker.js';
import { queryPostgres, startTestPostgres, type TestPostgres } from '../../helpers/postgres.js';
import { hostileFileName, KNOWN_INJECTIONS, labModelName } from '../hostile.js';
import { convChain, labRunArgv } from './fixtures.js';

export const RUNS = { queuedNights: 10 };

const dir = mkdtempSync(join(tmpdir(), 'mai-worker-hostile-'));
const MODEL = convChain({ size: 16, channels: 4 });
const ITERATIONS = 3;
const WARMUP = 1;
let db: TestPostgres;
let sim: AdbSimServer;
let device: SimDevice;
let entry: DeviceEntry;
let worker: WorkerProcess;
let devicesFile: string;
let nights = 0;

const q = <T = Record<string, unknown>>(sql: string, params: unknown[] = []) => queryPostgres<T>(db.url, sql, params);

beforeAll(async () => {
  db = await startTestPostgres();
  sim = new AdbSimServer({ devices: [{ serial: 'k-w-h' }] });
  const { port } = await sim.listen(0);
  device = sim.device('k-w-h')!;
  devicesFile = join(dir, 'devices.yaml');
  const text = devicesYaml([{ id: 'phone-h', serial: 'k-w-h', port }]);
  writeFileSync(devicesFile, text);
  entry = parseDevices(text, devicesFile)[0]!;
  worker = spawnWorker({ db: db.url, devicesFile, host: 'host-h' });
  await worker.online();
}, 120_000);

afterAll(async () => {
  if (worker && worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
  await sim?.close();
  db?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const intendedRun = (sha256: string) => labRunArgv(entry, device, sha256, ITERATIONS, WARMUP);

/** A queued night of these models (name → file name, each file in its own folder): every argv, row and cell checked. */
async function queuedNight(models: Array<[name: string, file: string]>): Promise<void> {
  device.commands.clear();
  const night = `2026-12-${String(++nights).padStart(2, '0')}`;
  const d = mkdtempSync(join(dir, 'n-'));
  const folders = models.map(([, file]) => {
    const sub = mkdtempSync(join(d, 'm-'));
    writeFileSync(join(sub, file), MODEL);
    return posix.basename(sub);
  });
  const lab = join(d, 'lab.yaml');
  writeFileSync(lab, stringify({ version: 1, models: models.map(([name, file], i) => ({ name, path: `${folders[i]}/${file}` })), precisions: ['fp32'], devices: ['phone-h'], runs: 2, iterations: ITERATIONS, warmupRuns: WARMUP, validateSamples: 1 }));
  const r = await mai('lab', 'nightly', '--config', lab, '--devices', devicesFile, '--db', db.url, '--night', night, '--out', join(d, 'out'), '--json', '--timeout', '120', '--maintenance', '1');
  expect(r.code, r.stderr + worker.log.join('')).toBe(0);
  expect(device.commands.errors()).toEqual([]);
  const doc = JSON.parse(r.stdout) as { cells: Array<{ model: string; runs: { ok: number } }> };
  expect(doc.cells.map((c) => c.model).sort()).toEqual(models.map(([n]) => n).sort());
  for (const c of doc.cells) expect(c.runs.ok).toBe(2);
  const rows = await q<{ model: string; run: number; sha: string; model_name: string; worker: string }>(
    "SELECT l.model, l.run, l.model_sha256 AS sha, r.model_name, l.worker FROM lab_runs l JOIN runs r ON r.id = l.run_id WHERE l.night = $1 AND l.status = 'ok' ORDER BY l.id",
    [night],
  );
  // each model's display name on exactly one row per run
  expect(rows.map((x) => `${x.model}|${x.run}`).sort()).toEqual(models.flatMap(([n]) => [`${n}|1`, `${n}|2`]).sort());
  for (const x of rows) expect(x).toMatchObject({ model_name: `${x.model}-fp32.tflite`, worker: 'host-h' });
  // the phone ran the runs in the order they were stored, with nothing else in between
  expect(device.commands.argvs()).toEqual(rows.flatMap((x) => intendedRun(x.sha)));
  for (const a of device.commands.argvs()) for (const f of folders) expect(a.join(' ')).not.toContain(f);
  expect(device.fs.glob('/*pwned*')).toEqual([]);
}

describe('hostile names through a queued night (mai lab nightly --db postgres + mai lab worker)', () => {
  it(`a lab.yaml name and a hostile model file per night (${RUNS.queuedNights} runs)`, async () => {
    await fc.assert(fc.asyncProperty(labModelName(), hostileFileName(), (name, file) => queuedNight([[name, file]])), { numRuns: RUNS.queuedNights });
  }, 240_000);

  it('the known injections as model file names, in one night', async () => {
    await queuedNight(KNOWN_INJECTIONS.map((file, i) => [`m${i}`, file]));
  }, 180_000);
});

describe('a tampered job payload never reaches the phone', () => {
  // a well-formed payload but for the tampered field: a stored artefact, this worker's phone
  const good = { night: '2026-12-31', model: 'm', precision: 'fp32', device: 'phone-h', sha256: '', runs: 1, iterations: 1, warmupRuns: 0, throttleRetries: 0, cooldownSec: 0 };
  it.each([
    ['a hash with shell syntax', { sha256: `${'a'.repeat(60)};id` }, /malformed payload: sha256/],
    ['a hash that is a command substitution', { sha256: '$(touch /pwned)' }, /malformed payload: sha256/],
    ['a model name with backticks', { model: '`touch /pwned`' }, /malformed payload: model/],
    ['a model name with a command substitution', { model: 'm;$(reboot)' }, /malformed payload: model/],
    ['an extra device path', { deviceDir: '/data/local/tmp/$(reboot)' }, /malformed payload: \(top level\): Unrecognized key/],
    ['a device id with a newline', { device: 'phone-h\nreboot' }, /malformed payload: device/],
  ])('%s: refused by the worker, the phone untouched', async (_label, tampered, message) => {
    const [artifact] = await q<{ sha256: string }>('SELECT sha256 FROM lab_artifacts LIMIT 1');
    const payload = { ...good, sha256: artifact!.sha256, ...tampered };
    device.commands.clear();
    const boss = await openBoss(db.url, { maintenanceSec: 1 }, () => undefined);
    let id: string | null;
    try {
      id = await boss.send(deviceQueue('phone-h'), payload, { retryLimit: 0 });
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    expect(id).toBeTruthy();
    for (const t0 = Date.now(); !worker.log.join('').includes(`job ${id} failed`); ) {
      if (Date.now() - t0 > 30_000) throw new Error(`the worker never refused job ${id}:\n${worker.log.join('')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const line = worker.log.join('').split('\n').find((l) => l.includes(`job ${id} failed`))!;
    expect(line).toMatch(message);
    expect(device.commands.argvs()).toEqual([]);
    expect(device.fs.glob('/*pwned*')).toEqual([]);
  }, 60_000);
});
