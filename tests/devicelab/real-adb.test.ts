/** Debian's real `adb` client against the simulator (skips with a message when /usr/bin/adb is absent). */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdbSimServer } from '../../src/devicelab/sim/server.js';
import { gpuFriendlyModel } from './models.js';

const ADB = '/usr/bin/adb';
const run = promisify(execFile);
const present = existsSync(ADB);
if (!present) console.warn(`skipping real-adb tests: ${ADB} is not installed (apt-get install adb)`);

describe.skipIf(!present)('the real adb client against the simulated Kirin 9000', () => {
  let sim: AdbSimServer;
  let port = 0;
  const adb = (...args: string[]) => run(ADB, ['-P', String(port), ...args], { timeout: 20_000, encoding: 'utf8' });

  beforeAll(async () => {
    sim = new AdbSimServer();
    port = (await sim.listen(0)).port;
  });
  afterAll(async () => sim.close());

  it('adb devices -l', async () => {
    const { stdout } = await adb('devices', '-l');
    expect(stdout).toContain('List of devices attached');
    expect(stdout).toMatch(/sim-kirin9000-1\s+device usb:1-1 product:NOH-AN00 model:NOH_AN00 device:HWNOH transport_id:1/);
  });

  it('adb shell getprop', async () => {
    const { stdout } = await adb('shell', 'getprop', 'ro.board.platform');
    expect(stdout.trim()).toBe('kirin9000');
  });

  it('adb push, then the simulated benchmark_model runs the pushed model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mai-adb-'));
    const model = join(dir, 'tiny.tflite');
    writeFileSync(model, gpuFriendlyModel());
    const bin = join(dir, 'benchmark_model');
    writeFileSync(bin, 'placeholder');
    const push = await adb('push', model, '/data/local/tmp/tiny.tflite');
    expect(push.stdout + push.stderr).toMatch(/1 file pushed/);
    await adb('push', bin, '/data/local/tmp/benchmark_model');
    const ls = await adb('shell', 'ls -l /data/local/tmp');
    expect(ls.stdout).toMatch(/tiny\.tflite/);
    const { stdout } = await adb('shell', 'chmod 755 /data/local/tmp/benchmark_model && /data/local/tmp/benchmark_model --graph=/data/local/tmp/tiny.tflite --use_gpu=true --require_full_delegation=true --num_runs=5 --min_secs=0');
    expect(stdout).toContain('INFO: Explicitly applied GPU delegate, and the model graph will be completely executed by the delegate.');
    expect(stdout).toContain('INFO: Inference timings in us: Init: ');
    const pulled = join(dir, 'back.tflite');
    await adb('pull', '/data/local/tmp/tiny.tflite', pulled);
    expect(existsSync(pulled)).toBe(true);
  });
});
