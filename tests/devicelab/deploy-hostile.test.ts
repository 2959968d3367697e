/**
 * Names are data, never code: hostile model file names, devices.yaml device paths and --flag values
 * go through `deploy` (the library and the CLI) against the simulated Kirin 9000, whose shell logs
 * every command it runs. The device must run exactly the intended argv, and the result must be
 * stored under the model's original name. Also the issue's own injection, and the real `adb` client.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { adbClient } from '../../src/devicelab/adb/adbkit.js';
import { commandLine } from '../../src/devicelab/adb/quote.js';
import { embeddedSimEntry, parseDevices, type DeviceEntry } from '../../src/devicelab/config/devices.js';
import { HEALTH_STEPS } from '../../src/devicelab/deploy/commands.js';
import { deployOne, loadModel, mergeFlags } from '../../src/devicelab/deploy/deploy.js';
import type { SimDevice } from '../../src/devicelab/sim/device.js';
import { AdbSimServer } from '../../src/devicelab/sim/server.js';
import { ResultsStore } from '../../src/devicelab/store/results.js';
import { mai } from '../helpers/cli.js';
import { hostileFileName, hostilePathPart, hostileWord, KNOWN_INJECTIONS } from './hostile.js';
import { gpuFriendlyModel } from './models.js';

export const RUNS = { library: 60, cli: 20, realAdb: 40 };

const dir = mkdtempSync(join(tmpdir(), 'mai-hostile-'));
const MODEL = gpuFriendlyModel();
let sim: AdbSimServer;
let port = 0;
let device: SimDevice;

beforeAll(async () => {
  sim = new AdbSimServer({ devices: [{ serial: 'k-h' }] });
  port = (await sim.listen(0)).port;
  device = sim.device('k-h')!;
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});
/** A clean device: no command logged, nothing under /data/local/tmp. */
function resetDevice(): void {
  device.commands.clear();
  for (const { name } of device.fs.list('/data/local/tmp')) device.fs.remove(`/data/local/tmp/${name}`, true);
}
beforeEach(resetDevice);

/** A model file with this exact name in a fresh folder (the content is the same small model). */
function modelFile(name: string): string {
  const d = mkdtempSync(join(dir, 'm-'));
  const p = join(d, name);
  writeFileSync(p, MODEL);
  return p;
}

/** The argv deploy must make the device run, in order, for one model. */
function intendedArgv(e: DeviceEntry, sha256: string, extraFlags: string[], runs: number, warmup: number): string[][] {
  const remote = posix.join(e.deviceDir, `${sha256}.tflite`);
  const flags = mergeFlags(e.flags, extraFlags, [`--graph=${remote}`, `--num_runs=${runs}`, `--warmup_runs=${warmup}`, '--min_secs=0', '--warmup_min_secs=0']);
  const health = HEALTH_STEPS.map((s) => s.argv.flatMap((w) => (typeof w === 'string' ? [w] : device.fs.glob(w.glob))));
  return [
    ['getprop'],
    ['mkdir', '-p', e.deviceDir],
    ['sha256sum', remote],
    ['sha256sum', e.benchmarkDevice],
    ['chmod', '755', e.benchmarkDevice],
    ...health,
    [e.benchmarkDevice, ...flags],
    ['echo', '__RC=0'],
    ...health,
    ['rm', '-f', remote],
  ];
}

/** Files left on the device under /data/local/tmp (the pushed model must be gone; nothing else created). */
function deviceFiles(): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    for (const { name, entry } of device.fs.list(p)) {
      const full = posix.join(p, name);
      if (entry.type === 'dir') walk(full);
      else out.push(full);
    }
  };
  walk('/data/local/tmp');
  return out.concat(device.fs.glob('/*pwned*'));
}

const rows = (db: string) => {
  const d = new Database(db, { readonly: true });
  const r = d.prepare('SELECT * FROM runs ORDER BY id').all() as Array<Record<string, unknown>>;
  d.close();
  return r;
};

/** A devices.yaml entry for the simulator with hostile device paths (validated like any devices.yaml). */
function hostileEntry(dirPart: string, binPart: string): DeviceEntry {
  const deviceDir = `/data/local/tmp/${dirPart}`;
  const text = stringify({
    version: 1,
    devices: [{ id: 'p', serial: 'k-h', adb: `127.0.0.1:${port}`, deviceDir, benchmark: { device: `${deviceDir}/${binPart}_benchmark_model` }, runs: 1, warmupRuns: 0, retries: 0 }],
  });
  return parseDevices(text, 'hostile.yaml')[0]!;
}

const flagValue = hostileWord(8).filter((v) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(v));

describe('property: hostile names through deploy (library) reach the device only as data', () => {
  it(`model file names, deviceDir, benchmark path and --flag values (${RUNS.library} runs)`, async () => {
    const store = await ResultsStore.open(join(dir, 'lib.db'));
    const client = adbClient('127.0.0.1', port);
    try {
      await fc.assert(
        fc.asyncProperty(hostileFileName(), hostilePathPart(), hostilePathPart(), flagValue, async (name, dirPart, binPart, value) => {
          resetDevice();
          const entry = hostileEntry(dirPart, binPart);
          const model = await loadModel(modelFile(name));
          const extra = [`--input_layer=${value}`];
          const r = await deployOne(client, entry, model, { store, flags: extra, backoffMs: 1 });
          expect(device.commands.errors()).toEqual([]);
          expect(r.status, r.error).toBe('ok');
          expect(device.commands.argvs()).toEqual(intendedArgv(entry, model.sha256, extra, 1, 0));
          const row = (await store.runs()).find((x) => x.id === r.rowId)!;
          expect(row.model_name).toBe(name);
          expect(JSON.parse(row.flags)).toContain(`--input_layer=${value}`);
          expect(deviceFiles()).toEqual([entry.benchmarkDevice]);
        }),
        { numRuns: RUNS.library },
      );
    } finally {
      await store.close();
    }
  }, 120_000);

  it('the known injections, each one as a model name', async () => {
    const client = adbClient('127.0.0.1', port);
    const entry = { ...embeddedSimEntry('kirin9000'), serial: 'k-h', adb: { host: '127.0.0.1', port }, runs: 1, warmupRuns: 0 };
    for (const name of KNOWN_INJECTIONS) {
      resetDevice();
      const model = await loadModel(modelFile(name));
      const r = await deployOne(client, entry, model, {});
      expect(r.status, name).toBe('ok');
      expect(device.commands.argvs(), name).toEqual(intendedArgv(entry, model.sha256, [], 1, 0));
    }
  });
});

describe('property: hostile names through `mai deploy` (CLI)', () => {
  it(`model file names, devices.yaml paths and --flag values (${RUNS.cli} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileFileName(), hostilePathPart(), hostilePathPart(), flagValue, async (name, dirPart, binPart, value) => {
        resetDevice();
        const entry = hostileEntry(dirPart, binPart);
        const yamlFile = join(mkdtempSync(join(dir, 'y-')), 'devices.yaml');
        writeFileSync(
          yamlFile,
          stringify({ version: 1, devices: [{ id: 'p', serial: 'k-h', adb: `127.0.0.1:${port}`, deviceDir: entry.deviceDir, benchmark: { device: entry.benchmarkDevice }, runs: 1, warmupRuns: 0, retries: 0 }] }),
        );
        const path = modelFile(name);
        const db = join(dir, `cli-${Math.random().toString(36).slice(2)}.db`);
        const r = await mai('deploy', '--device', 'p', '--devices', yamlFile, '--db', db, '--flag', `--input_layer=${value}`, '--json', '--', path);
        expect(r.code, r.stderr + r.stdout).toBe(0);
        expect(device.commands.errors()).toEqual([]);
        const sha = (await loadModel(path)).sha256;
        expect(device.commands.argvs()).toEqual(intendedArgv(entry, sha, [`--input_layer=${value}`], 1, 0));
        expect(JSON.parse(r.stdout).runs[0].model).toBe(path);
        const [row] = rows(db);
        expect(row).toMatchObject({ model_name: name, model_path: path, status: 'ok' });
        expect(deviceFiles()).toEqual([entry.benchmarkDevice]);
      }),
      { numRuns: RUNS.cli },
    );
  }, 120_000);

  it('the issue: mai deploy "a;touch $HOME-pwned.tflite" --device p runs only the intended commands and stores the result under that name', async () => {
    const yamlFile = join(dir, 'issue.yaml');
    writeFileSync(yamlFile, `version: 1\ndevices:\n  - id: p\n    serial: k-h\n    adb: 127.0.0.1:${port}\n    runs: 3\n    warmupRuns: 1\n`);
    const name = 'a;touch $HOME-pwned.tflite';
    const file = modelFile(name);
    const arg = relative(process.cwd(), file); // a relative path, as typed in a shell
    const db = join(dir, 'issue.db');
    const r = await mai('deploy', arg, '--device', 'p', '--devices', yamlFile, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const entry = parseDevices(`version: 1\ndevices:\n  - id: p\n    serial: k-h\n    adb: 127.0.0.1:${port}\n`)[0]!;
    const sha = (await loadModel(file)).sha256;
    expect(device.commands.errors()).toEqual([]);
    expect(device.commands.argvs()).toEqual(intendedArgv(entry, sha, [], 3, 1));
    expect(device.commands.argvs().flat().join(' ')).not.toContain('pwned');
    expect(device.fs.get('/-pwned.tflite')).toBeUndefined();
    const [row] = rows(db);
    expect(row).toMatchObject({ model_name: name, model_path: arg, status: 'ok', num_runs: 3 });
    expect(r.stdout).toContain(name);
  });
});

describe('display names on a terminal', () => {
  it('a name with escape sequences and a newline: one table row, visible escapes; JSON and the store keep it exactly', async () => {
    const yamlFile = join(dir, 'term.yaml');
    writeFileSync(yamlFile, `version: 1\ndevices:\n  - id: p\n    serial: k-h\n    adb: 127.0.0.1:${port}\n    runs: 1\n    warmupRuns: 0\n`);
    const name = '\u001b[31mred\nsecond line.tflite';
    const file = modelFile(name);
    const db = join(dir, 'term.db');
    const text = await mai('deploy', file, '--device', 'p', '--devices', yamlFile, '--db', db);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).not.toContain('\u001b');
    const row = text.stdout.split('\n').find((l) => l.includes('red'))!;
    expect(row).toContain('\\x1b[31mred\\nsecond line.tflite');
    expect(row).toMatch(/\sp \(SIMULATED\)\s+fp32\s+full\s/); // the rest of the row is on the same line
    const json = await mai('deploy', file, '--device', 'p', '--devices', yamlFile, '--no-store', '--json');
    expect(JSON.parse(json.stdout).runs[0].model).toBe(file);
    expect(rows(db)[0]).toMatchObject({ model_name: name });
  });
});

describe('devices.yaml device paths are validated (file:line)', () => {
  it.each([
    ['relative', 'deviceDir: data/local/tmp', /^d\.yaml:5: devices\.0\.deviceDir: must be an absolute device path/],
    ['newline', 'deviceDir: "/data/local/tmp/a\\nb"', /^d\.yaml:5: devices\.0\.deviceDir: contains a control character \(U\+000A at offset 17\)/],
    ['escape sequence', 'deviceDir: "/data/\\e[31m"', /^d\.yaml:5: devices\.0\.deviceDir: contains a control character \(U\+001B/],
    ['961 bytes', `deviceDir: /${'d'.repeat(960)}`, /^d\.yaml:5: devices\.0\.deviceDir: is 961 bytes long; adb's sync service takes paths of at most 1024 bytes \(952 for a directory/],
    ['tab in benchmark.device', 'benchmark: { device: "/x/\\tbenchmark_model" }', /^d\.yaml:5: devices\.0\.benchmark\.device: contains a control character \(U\+0009/],
  ])('%s', (_label, line, message) => {
    const text = `version: 1\ndevices:\n  - id: p\n    serial: s\n    ${line}\n`;
    let err: unknown;
    try {
      parseDevices(text, 'd.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ exit: 2, code: 'devices-invalid', message: expect.stringMatching(message) });
  });

  it('spaces, quotes and shell syntax in a device path are data (accepted, then quoted)', () => {
    const [e] = parseDevices(`version: 1\ndevices:\n  - id: p\n    serial: s\n    deviceDir: "/data/local/tmp/it's $(x); a b"\n`, 'd.yaml');
    expect(e!.deviceDir).toBe("/data/local/tmp/it's $(x); a b");
    expect(commandLine(['mkdir', '-p', e!.deviceDir])).toBe("mkdir -p '/data/local/tmp/it'\\''s $(x); a b'");
  });

  it('a --flag with a control character is refused before anything runs (exit 2)', async () => {
    const r = await mai('deploy', modelFile('m.tflite'), '--device', 'kirin9000', '--flag', '--input_layer=a\u001bb', '--no-store');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot contain control characters');
  });
});

const ADB = '/usr/bin/adb';
if (!existsSync(ADB)) console.warn(`deploy-hostile.test: ${ADB} is not installed: the real-adb cases are skipped`);

describe.skipIf(!existsSync(ADB))('the real adb client sends quoted lines unchanged', () => {
  // Asynchronous: the simulator serves from this process.
  const adb = (...args: string[]) =>
    new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
      execFile(ADB, ['-P', String(port), '-s', 'k-h', ...args], { encoding: 'utf8', timeout: 20_000 }, (e, stdout, stderr) =>
        resolve({ status: e ? Number((e as { code?: unknown }).code ?? 1) || 1 : 0, stdout, stderr }),
      ),
    );

  it(`adb shell "$(commandLine(['printf', '%s\\0', ...argv]))": the device sees argv, prints it back (${RUNS.realAdb} runs)`, async () => {
    // Lines the adb client takes: it refuses `shell:` lines over 4096 bytes (MAX_PAYLOAD_V1) to devices without shell v2.
    const fits = (argv: string[]) => Buffer.byteLength(`shell:${commandLine(['printf', '%s\\0', ...argv])}`) <= 4096;
    await fc.assert(
      fc.asyncProperty(fc.array(hostileWord(), { minLength: 1, maxLength: 4 }).filter(fits), async (argv) => {
        device.commands.clear();
        const r = await adb('shell', commandLine(['printf', '%s\\0', ...argv]));
        expect(r.status, r.stderr).toBe(0);
        expect(device.commands.argvs()).toEqual([['printf', '%s\\0', ...argv]]);
        expect(r.stdout.split('\0').slice(0, -1)).toEqual(argv);
      }),
      { numRuns: RUNS.realAdb },
    );
  }, 120_000);

  it('the adb client refuses a line over 4096 bytes; adbkit (mai) carries it, up to 65529', async () => {
    const long = 'x'.repeat(5000);
    const refused = await adb('shell', commandLine(['printf', '%s', long]));
    expect(refused.stderr).toContain('shell command too long');
    const entry = { ...embeddedSimEntry('kirin9000'), serial: 'k-h', adb: { host: '127.0.0.1', port }, runs: 1, warmupRuns: 0 };
    const r = await deployOne(adbClient('127.0.0.1', port), entry, await loadModel(modelFile('m.tflite')), { flags: [`--input_layer=${long}`] });
    expect(r.status, r.error).toBe('ok');
    expect(device.commands.argvs().find((a) => a[0] === entry.benchmarkDevice)).toContain(`--input_layer=${long}`);
    const tooLong = await deployOne(adbClient('127.0.0.1', port), entry, await loadModel(modelFile('m.tflite')), { flags: [`--input_layer=${'y'.repeat(70_000)}`] });
    expect(tooLong).toMatchObject({ status: 'failed', exit: 2, errorCode: 'shell-line-too-long' });
  });

  it('adb push of a hostile local file to <sha256>.tflite, then the benchmark through adb shell', async () => {
    const name = 'a;touch $HOME-pwned.tflite';
    const file = modelFile(name);
    const { sha256 } = await loadModel(file);
    const remote = `/data/local/tmp/adb-${process.pid}/${sha256}.tflite`;
    const bin = `/data/local/tmp/adb-${process.pid}/benchmark_model`;
    const binFile = join(dir, 'bm');
    writeFileSync(binFile, 'placeholder');
    expect((await adb('shell', commandLine(['mkdir', '-p', posix.dirname(remote)]))).status).toBe(0);
    expect((await adb('push', file, remote)).status).toBe(0);
    expect((await adb('push', binFile, bin)).status).toBe(0);
    expect((await adb('shell', commandLine(['chmod', '755', bin]))).status).toBe(0);
    device.commands.clear();
    const run = await adb('shell', commandLine([bin, `--graph=${remote}`, '--use_gpu=true', '--num_runs=2', '--min_secs=0'], { stderr: 'stdout' }));
    expect(run.stdout).toContain('completely executed by the delegate');
    expect(device.commands.argvs()).toEqual([[bin, `--graph=${remote}`, '--use_gpu=true', '--num_runs=2', '--min_secs=0']]);
    expect(readdirSync(posix.dirname(file))).toEqual([name]);
    expect(device.fs.glob('/*pwned*')).toEqual([]);
  });
});
