import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adbClient, readAll, type Client } from '../../src/devicelab/adb/adbkit.js';
import { AdbSimServer } from '../../src/devicelab/sim/server.js';
import { argMaxModel, SELFIE } from './models.js';

let sim: AdbSimServer;
let client: Client;
const SERIAL = 'sim-kirin9000-1';

async function pushBytes(data: Uint8Array, remote: string, mode = 0o644): Promise<void> {
  const src = new PassThrough();
  src.end(Buffer.from(data));
  const t = await client.getDevice(SERIAL).push(src, remote, mode);
  await new Promise<void>((res, rej) => {
    t.on('end', res);
    t.on('error', rej);
  });
}
const sh = async (cmd: string) => (await readAll(await client.getDevice(SERIAL).shell(cmd))).toString();

beforeAll(async () => {
  sim = new AdbSimServer({ devices: [{ serial: SERIAL }, { serial: 'sim-kirin9000-2' }] });
  const { port } = await sim.listen(0);
  client = adbClient('127.0.0.1', port);
});
afterAll(async () => sim.close());

describe('simulated Kirin 9000 through adbkit', () => {
  it('answers host:version with 41 and lists devices (plain and -l)', async () => {
    expect(await client.version()).toBe(41);
    expect(await client.listDevices()).toEqual([
      { id: SERIAL, type: 'device' },
      { id: 'sim-kirin9000-2', type: 'device' },
    ]);
    const l = await client.listDevicesWithPaths();
    expect(l[0]).toMatchObject({ id: SERIAL, type: 'device', product: 'product:NOH-AN00', model: 'model:NOH_AN00', device: 'device:HWNOH' });
  });

  it('tracks devices: a state change reaches an open track-devices connection', async () => {
    const tracker = await client.trackDevices();
    const changes: Array<{ id: string; type: string }> = [];
    tracker.on('change', (d: { id: string; type: string }) => changes.push(d));
    await new Promise((r) => setTimeout(r, 50));
    sim.setState('sim-kirin9000-2', 'offline');
    await new Promise((r) => setTimeout(r, 100));
    expect(changes).toEqual([expect.objectContaining({ id: 'sim-kirin9000-2', type: 'offline' })]);
    sim.setState('sim-kirin9000-2', 'device');
    await new Promise((r) => setTimeout(r, 100));
    expect(changes[1]).toMatchObject({ id: 'sim-kirin9000-2', type: 'device' });
    tracker.end();
  });

  it('reports Mate 40 Pro properties through getprop', async () => {
    const p = await client.getDevice(SERIAL).getProperties();
    expect(p['ro.product.model']).toBe('NOH-AN00');
    expect(p['ro.board.platform']).toBe('kirin9000');
    expect(p['ro.hardware.egl']).toBe('mali');
    expect((await sh('getprop ro.build.version.release')).trim()).toBe('10');
  });

  it('pushes, stats, lists and pulls a 250 KB model byte-exact (64 KiB DATA chunks)', async () => {
    const bytes = new Uint8Array(readFileSync(SELFIE));
    await pushBytes(bytes, '/data/local/tmp/selfie.tflite');
    const st = await client.getDevice(SERIAL).stat('/data/local/tmp/selfie.tflite');
    expect(st.size).toBe(bytes.length);
    expect(st.isFile()).toBe(true);
    const names = (await client.getDevice(SERIAL).readdir('/data/local/tmp')).map((e: { name: string }) => e.name);
    expect(names).toContain('selfie.tflite');
    const pulled = await readAll((await client.getDevice(SERIAL).pull('/data/local/tmp/selfie.tflite')) as never);
    expect(Buffer.compare(pulled, Buffer.from(bytes))).toBe(0);
    const sha = (await sh('sha256sum /data/local/tmp/selfie.tflite')).split(' ')[0];
    expect(sha).toMatch(/^[0-9a-f]{64}$/);
    const missing = await client.getDevice(SERIAL).pull('/data/local/tmp/missing.bin');
    const err = await new Promise<Error | undefined>((resolve) => {
      missing.on('error', (e: Error) => resolve(e));
      missing.resume();
      setTimeout(() => resolve(undefined), 2000);
    });
    expect(err?.message).toMatch(/No such file/);
  });

  it('runs shell sequences with exit status, errors and globs', async () => {
    expect(await sh('echo a; false; echo rc=$?')).toBe('a\nrc=1\n');
    expect(await sh('cat /nope')).toBe('cat: /nope: No such file or directory\n');
    expect(await sh('cat /nope 2>/dev/null || echo fallback')).toBe('fallback\n');
    const thermal = await sh('grep . /sys/class/thermal/thermal_zone*/type');
    expect(thermal).toContain('/sys/class/thermal/thermal_zone3/type:gpu');
    expect(await sh('dumpsys battery')).toMatch(/level: \d+/);
    expect(await sh('/data/local/tmp/nothing')).toContain('inaccessible or not found');
  });

  it('refuses an unknown serial with the adb server message', async () => {
    await expect(client.getDevice('NOPE').shell('echo hi')).rejects.toThrow(/device 'NOPE' not found/);
  });

  it('runs the pushed benchmark_model and prints the delegate lines for a rejected op', async () => {
    await pushBytes(Buffer.from('any bytes'), '/data/local/tmp/benchmark_model', 0o644);
    expect(await sh('/data/local/tmp/benchmark_model --graph=/x')).toContain('Permission denied');
    await sh('chmod 755 /data/local/tmp/benchmark_model');
    await pushBytes(argMaxModel(), '/data/local/tmp/argmax.tflite');
    const out = await sh('/data/local/tmp/benchmark_model --graph=/data/local/tmp/argmax.tflite --use_gpu=true --require_full_delegation=true; echo __RC=$?');
    expect(out).toContain('INFO: [mai sim] SIMULATED');
    expect(out).toContain(
      [
        'ERROR: Following operations are not supported by GPU delegate:',
        'ARG_MAX: Operation is not supported.',
        '1 operations will run on the GPU, and the remaining 1 operations will run on the CPU.',
      ].join('\n'),
    );
    expect(out).toContain('VERBOSE: Replacing 1 out of 2 node(s) with delegate (TfLiteGpuDelegateV2) node, yielding 1 partitions for subgraph 0 (main).');
    expect(out).toContain('ERROR: Disallowed CPU fallback detected.');
    expect(out.trim().endsWith('__RC=1')).toBe(true);
    const partial = await sh('/data/local/tmp/benchmark_model --graph=/data/local/tmp/argmax.tflite --use_gpu=true --num_runs=5 --min_secs=0');
    expect(partial).toContain('INFO: Explicitly applied GPU delegate, and the model graph will be partially executed by the delegate w/ 1 delegate kernels.');
    expect(partial).toMatch(/INFO: Inference timings in us: Init: \d+, First inference: \d+, Warmup \(avg\): [\d.e+]+, Inference \(avg\): [\d.e+]+/);
  });
});

