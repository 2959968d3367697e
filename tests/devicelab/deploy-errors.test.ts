/** Review fixes: argument checks before anything is pushed, no false PASS, exit codes, silent / absent adb servers. */
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { mai } from '../helpers/cli.js';
import { deployFailure } from '../../src/cli/commands/deploy.js';
import { adbClient } from '../../src/devicelab/adb/adbkit.js';
import { embeddedSimEntry, type DeviceEntry } from '../../src/devicelab/config/devices.js';
import { deployOne, loadModel, type RunResult } from '../../src/devicelab/deploy/deploy.js';
import { AdbSimServer } from '../../src/devicelab/sim/server.js';
import { gpuFriendlyModel, writeModel } from './models.js';

const dir = mkdtempSync(join(tmpdir(), 'mai-deploy-err-'));
const EMPTY_DEVICES = join(dir, 'no-devices.yaml');
writeFileSync(EMPTY_DEVICES, 'version: 1\ndevices: []\n');
const MODEL = writeModel(dir, 'tiny_net.tflite', gpuFriendlyModel());
const LOOSE = join(dir, 'loose.yaml');
writeFileSync(LOOSE, 'version: 1\nmodels:\n  tiny_net:\n    latency:\n      kirin9000: 50\n');
const savedPort = process.env.ADB_PORT;

let sim: AdbSimServer;
let simPort = 0;
beforeAll(async () => {
  process.env.ADB_PORT = '1'; // no adb server for the embedded-simulator paths
  sim = new AdbSimServer({ devices: [{ serial: 'k-a' }] });
  simPort = (await sim.listen(0)).port;
});
afterAll(async () => {
  await sim.close();
  if (savedPort === undefined) delete process.env.ADB_PORT;
  else process.env.ADB_PORT = savedPort;
});
afterEach(() => {
  for (const d of sim.devices) d.faults = {};
});

const rowsOf = (db: string) => {
  const d = new Database(db, { readonly: true });
  const r = d.prepare('SELECT * FROM runs ORDER BY id').all() as Array<Record<string, unknown>>;
  d.close();
  return r;
};

/** A TCP port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('deploy arguments are checked before anything runs (exit 2, naming the flag)', () => {
  it.each([
    [['--runs', 'abc'], /--runs must be an integer ≥ 1 \(got 'abc'\)/],
    [['--runs', '0'], /--runs must be an integer ≥ 1 \(got '0'\)/],
    [['--warmup-runs', '1.5'], /--warmup-runs must be an integer ≥ 0/],
    [['--connect-timeout', 'soon'], /--connect-timeout must be a number of seconds/],
    [['--flag=garbage'], /--flag 'garbage' is not a benchmark_model flag: each flag looks like --name=value/],
    [['--flag', '--num_runs=abc'], /--flag --num_runs=abc: --num_runs needs an integer ≥ 1/],
    [['--flag', '--min_secs=x'], /--min_secs needs a number ≥ 0/],
    [['--flag', '--use_gpu=yes'], /--use_gpu takes true or false/],
  ])('%j', async (args, message) => {
    const db = join(dir, `bad-${args.join('_').replace(/[^a-z0-9]/gi, '')}.db`);
    const r = await mai('deploy', MODEL, '--device', 'kirin9000', '--devices', EMPTY_DEVICES, '--db', db, '--budgets', LOOSE, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toContain('PASS');
    expect(existsSync(db)).toBe(false);
  });

  it('devices.yaml rejects the same bad numeric flags', async () => {
    const yaml = join(dir, 'badflag.yaml');
    writeFileSync(yaml, `version: 1\ndefaults:\n  flags: [--use_gpu=true, --num_runs=abc]\ndevices: []\n`);
    const r = await mai('deploy', MODEL, '--device', 'kirin9000', '--devices', yaml, '--no-store');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/badflag\.yaml:3: defaults\.flags\.1: --num_runs=abc: --num_runs needs an integer ≥ 1/);
  });
});

describe('a run without inferences is a failure, never a budget PASS', () => {
  const entry = (over: Partial<DeviceEntry> = {}): DeviceEntry => ({ ...embeddedSimEntry('kirin9000'), id: 'k-a', serial: 'k-a', adb: { host: '127.0.0.1', port: simPort }, retries: 1, ...over });

  it('count=0 / Inference (avg): 0 from the device → failed (exit 3), no budget verdict, stored with no average', async () => {
    const yaml = join(dir, 'zero.yaml');
    writeFileSync(yaml, `version: 1\ndevices:\n  - id: k-a\n    tags: [kirin9000]\n    serial: k-a\n    adb: 127.0.0.1:${simPort}\n`);
    sim.device('k-a')!.faults = { zeroRuns: { count: 1 } };
    const db = join(dir, 'zero.db');
    const r = await mai('deploy', MODEL, '--device', 'kirin9000', '--devices', yaml, '--db', db, '--budgets', LOOSE, '--runs', '5');
    expect(r.code).toBe(3);
    expect(r.stdout).not.toContain('PASS');
    expect(r.stderr).toMatch(/tiny_net\.tflite on k-a: benchmark_model failed: no inference ran \(count=0/);
    const [row] = rowsOf(db);
    expect(row).toMatchObject({ status: 'failed', avg_us: null, num_runs: 0, budget_status: null });
  });

  it('deployOne: the same through the library API', async () => {
    sim.device('k-a')!.faults = { zeroRuns: { count: 1 } };
    const model = await loadModel(MODEL);
    const r = await deployOne(adbClient('127.0.0.1', simPort), entry(), model, { backoffMs: 5, runs: 5, warmupRuns: 1, budgets: { models: { tiny_net: { latency: { kirin9000: 50 } } } } as never });
    expect(r).toMatchObject({ status: 'failed', exit: 3, errorCode: 'benchmark-no-runs' });
    expect(r.budget).toBeUndefined();
    expect(r.parse!.noRuns).toBe(true);
  });

  it('deployOne: a malformed runs / warm-up runs / benchmark flag is bad-option (exit 2) naming the option', async () => {
    const model = await loadModel(MODEL);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ runs: 0 }, /--runs or devices\.yaml runs\) must be an integer ≥ 1 \(got 0\)/],
      [{ warmupRuns: -1 }, /--warmup-runs or devices\.yaml warmupRuns\) must be an integer ≥ 0 \(got -1\)/],
      [{ flags: ['--num_threads=x'] }, /--flag or devices\.yaml flags\) --num_threads=x: --num_threads needs an integer/],
    ];
    for (const [opts, named] of cases) {
      const r = await deployOne(adbClient('127.0.0.1', simPort), entry(), model, { backoffMs: 5, ...opts });
      expect(r, JSON.stringify(opts)).toMatchObject({ status: 'failed', exit: 2, errorCode: 'bad-option', attempts: 0 });
      expect(r.error).toMatch(named);
    }
  });
});

describe('configuration errors and exit codes', () => {
  it('a missing benchmark.host binary is exit 2 naming the file, line and field, before anything is pushed', async () => {
    const yaml = join(dir, 'nobin.yaml');
    writeFileSync(yaml, `version: 1\ndevices:\n  - id: k-a\n    tags: [kirin9000]\n    serial: k-a\n    adb: 127.0.0.1:${simPort}\n    benchmark:\n      host: /nonexistent/benchmark_model\n`);
    const db = join(dir, 'nobin.db');
    const r = await mai('deploy', MODEL, '--device', 'kirin9000', '--devices', yaml, '--db', db);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${yaml}:8: devices.0.benchmark.host: benchmark_model not found on the host: /nonexistent/benchmark_model`);
    expect(sim.device('k-a')!.fs.get('/data/local/tmp/mai/tiny_net.tflite')).toBeUndefined();
    expect(existsSync(db)).toBe(false);
  });

  it('the overall exit code is the most severe of the jobs (3 > 2 > 1)', () => {
    const base = { model: 'm.tflite', serial: 's', simulated: true, precision: 'fp32', attempts: 1, pushed: { model: true, benchmark: true }, throttled: false, warnings: [] };
    const ok: RunResult = { ...base, device: 'ok', status: 'ok' };
    const rejected: RunResult = { ...base, device: 'rej', status: 'rejected', exit: 1, error: 'refused' };
    const input: RunResult = { ...base, device: 'in', status: 'failed', exit: 2, errorCode: 'benchmark-binary-missing', error: 'benchmark_model not found on the host' };
    const env: RunResult = { ...base, device: 'env', status: 'failed', exit: 3, errorCode: 'adb-unreachable', error: 'adb server unreachable' };
    const budget: RunResult = { ...base, device: 'slow', status: 'ok', budget: { status: 'FAIL', value: 9, limit: 5, maxMs: 5 } as never };
    expect(deployFailure([ok], false)).toBeUndefined();
    expect(deployFailure([ok, budget], false)!.exit).toBe(1);
    expect(deployFailure([rejected, input, ok], false)).toMatchObject({ exit: 2, code: 'benchmark-binary-missing' });
    expect(deployFailure([input, env, rejected], false)).toMatchObject({ exit: 3, code: 'adb-unreachable' });
    expect(deployFailure([{ ...base, device: 'x', status: 'failed', error: 'odd' }], false)!.exit).toBe(3);
  });

  it('flags the tool did not use are shown in the summary and the JSON', async () => {
    const text = await mai('deploy', MODEL, '--device', 'kirin9000', '--devices', EMPTY_DEVICES, '--no-store', '--runs', '3', '--flag', '--use_gpuu=true');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('sim-kirin9000: warning: benchmark_model ignored flag(s) it does not know: --use_gpuu=true');
    const json = await mai('deploy', MODEL, '--device', 'kirin9000', '--devices', EMPTY_DEVICES, '--no-store', '--runs', '3', '--flag', '--use_gpuu=true', '--json');
    const run = JSON.parse(json.stdout).runs[0];
    expect(run.parse.unconsumedFlags).toEqual(['--use_gpuu=true']);
    expect(run.warnings).toEqual(['benchmark_model ignored flag(s) it does not know: --use_gpuu=true']);
  });
});

describe('adb servers that are down or silent', () => {
  it('a server that accepts TCP but never answers fails fast (connectTimeoutSec) with exit 3 naming host:port', async () => {
    const held: net.Socket[] = [];
    const silent = net.createServer((s) => void held.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as net.AddressInfo).port;
    try {
      const yaml = join(dir, 'silent.yaml');
      writeFileSync(yaml, `version: 1\ndevices:\n  - id: quiet\n    tags: [kirin9000]\n    serial: Q1\n    adb: 127.0.0.1:${port}\n    connectTimeoutSec: 0.3\n`);
      const t0 = Date.now();
      const r = await mai('deploy', MODEL, '--device', 'quiet', '--devices', yaml, '--no-store');
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`adb server at 127.0.0.1:${port} accepted the connection but did not answer host:version within 0.3 s`);
      const cli = await mai('deploy', MODEL, '--device', 'quiet', '--devices', yaml, '--no-store', '--connect-timeout', '0.2', '--json');
      expect(cli.code).toBe(3);
      expect(JSON.parse(cli.stdout).runs[0]).toMatchObject({ status: 'failed', errorCode: 'adb-no-answer', error: expect.stringContaining('within 0.2 s') });
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  }, 15_000);

  it('a server that is down: "unreachable" (exit 3, hint adb start-server) and no adb daemon is started', async () => {
    // A fake `adb` first on PATH records any attempt to start a server (adbkit runs `adb -P PORT start-server` on ECONNREFUSED).
    const bin = mkdtempSync(join(tmpdir(), 'mai-fake-adb-'));
    const marker = join(bin, 'adb-was-started');
    writeFileSync(join(bin, 'adb'), `#!/bin/sh\necho "$@" > ${marker}\nexit 1\n`);
    chmodSync(join(bin, 'adb'), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath}`;
    try {
      const port = await closedPort();
      await expect(adbClient('127.0.0.1', port).listDevices()).rejects.toThrow(`adb server at 127.0.0.1:${port} is unreachable`);
      const yaml = join(dir, 'down.yaml');
      writeFileSync(yaml, `version: 1\ndevices:\n  - id: gone\n    serial: G1\n    adb: 127.0.0.1:${port}\n`);
      const r = await mai('deploy', MODEL, '--device', 'gone', '--devices', yaml, '--no-store');
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`adb server at 127.0.0.1:${port} is unreachable`);
      expect(r.stderr).toMatch(/hint: start it with `adb -P \d+ start-server`/);
      expect(existsSync(marker)).toBe(false);
    } finally {
      process.env.PATH = savedPath;
    }
  });
});
