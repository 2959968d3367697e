import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mai } from '../helpers/cli.js';
import { loadDevices, parseDevices, selectDevices } from '../../src/devicelab/config/devices.js';
import { parseHealth, isThrottled } from '../../src/devicelab/deploy/health.js';
import { AdbSimServer } from '../../src/devicelab/sim/server.js';
import { isMaiError } from '../../src/core/errors.js';

const errorOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (isMaiError(e)) return e;
    throw e;
  }
  throw new Error('expected an error');
};

describe('devices.yaml', () => {
  it('the repository devices.yaml is valid and has the simulated Kirin 9000 under the kirin9000 tag', async () => {
    const d = (await loadDevices('devices.yaml'))!;
    const k = selectDevices(d, 'kirin9000');
    expect(k.map((e) => e.id)).toContain('mate40pro-sim');
    expect(k[0]).toMatchObject({ adb: 'embedded', deviceClass: 'kirin9000', runs: 50, warmupRuns: 5, deviceDir: '/data/local/tmp/mai' });
    expect(k[0]!.flags).toContain('--require_full_delegation=true');
  });

  it('merges defaults, selects by id before tag, parses host:port', () => {
    const d = parseDevices(
      'defaults:\n  runs: 7\n  flags: [--use_gpu=true]\ndevices:\n  - id: p1\n    tags: [kirin9000]\n    serial: ABC\n    adb: 10.0.0.2:5037\n    runs: 3\n  - id: kirin9000\n    serial: DEF\n',
    );
    expect(d[0]).toMatchObject({ runs: 3, adb: { host: '10.0.0.2', port: 5037 }, flags: ['--use_gpu=true'], benchmarkDevice: '/data/local/tmp/mai/benchmark_model' });
    expect(d[1]).toMatchObject({ runs: 7, adb: { host: '127.0.0.1', port: 5037 } });
    expect(selectDevices(d, 'kirin9000').map((e) => e.id)).toEqual(['kirin9000']);
  });

  it('names the line and the field of a bad value, an unknown field, a duplicate id, broken YAML', () => {
    const bad = errorOf(() => parseDevices('devices:\n  - id: a\n    serial: X\n    adb: nowhere\n', 'lab.yaml'));
    expect(bad.exit).toBe(2);
    expect(bad.message).toMatch(/^lab\.yaml:4: devices\.0\.adb: expected "host:port"/);
    const unknown = errorOf(() => parseDevices('devices:\n  - id: a\n    serial: X\n    colour: red\n', 'lab.yaml'));
    expect(unknown.message).toBe('lab.yaml:4: devices.0.colour: unknown field');
    const dup = errorOf(() => parseDevices('devices:\n  - id: a\n    serial: X\n  - id: a\n    serial: Y\n', 'lab.yaml'));
    expect(dup.message).toMatch(/^lab\.yaml:4: devices\.1\.id: duplicate id 'a'/);
    const yaml = errorOf(() => parseDevices('devices: [\n', 'lab.yaml'));
    expect(yaml.message).toMatch(/^lab\.yaml:\d+: malformed YAML/);
    const missing = errorOf(() => parseDevices('devices:\n  - id: a\n', 'lab.yaml'));
    expect(missing.message).toMatch(/^lab\.yaml:2: devices\.0\.serial: /);
  });
});

describe('health parsing', () => {
  it('reads thermal zones, GPU devfreq and dumpsys battery; flags throttling', () => {
    const h = parseHealth(
      '/sys/class/thermal/thermal_zone0/type:soc_thermal\n/sys/class/thermal/thermal_zone1/type:gpu\n/sys/class/thermal/thermal_zone0/temp:41000\n/sys/class/thermal/thermal_zone1/temp:47500\n/sys/class/devfreq/gpufreq/cur_freq:455000000\n/sys/class/devfreq/gpufreq/max_freq:759000000\nCurrent Battery Service state:\n  level: 64\n  temperature: 352\n',
    );
    expect(h).toMatchObject({ thermalC: { soc_thermal: 41, gpu: 47.5 }, maxTempC: 47.5, gpuCurMHz: 455, gpuMaxMHz: 759, batteryLevel: 64, batteryTempC: 35.2 });
    expect(isThrottled(h, 45)).toBe(true);
    expect(isThrottled({ ...h, maxTempC: 40 }, 45, 759)).toBe(false);
    expect(isThrottled({ ...h, maxTempC: 40, gpuMaxMHz: 455 }, 45, 759)).toBe(true);
  });
});

describe('mai devices', () => {
  let sim: AdbSimServer;
  let port = 0;
  const saved = process.env.ADB_PORT;
  beforeAll(async () => {
    sim = new AdbSimServer({ devices: [{ serial: 'lab-k9000' }, { serial: 'stray-phone' }] });
    port = (await sim.listen(0)).port;
    process.env.ADB_PORT = '1';
  });
  afterAll(async () => {
    await sim.close();
    if (saved === undefined) delete process.env.ADB_PORT;
    else process.env.ADB_PORT = saved;
  });

  it('merges devices.yaml with what the adb server reports (state, getprop)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mai-devices-'));
    const yaml = join(dir, 'devices.yaml');
    writeFileSync(
      yaml,
      `devices:\n  - id: k1\n    tags: [kirin9000]\n    serial: lab-k9000\n    adb: 127.0.0.1:${port}\n  - id: gone\n    serial: unplugged\n    adb: 127.0.0.1:${port}\n  - id: sim\n    serial: s\n    adb: embedded\n`,
    );
    const r = await mai('devices', '--devices', yaml, '--json');
    expect(r.code).toBe(0);
    const { devices } = JSON.parse(r.stdout);
    const by = (id: string, serial?: string) => devices.find((d: { id: string; serial: string }) => d.id === id && (!serial || d.serial === serial));
    expect(by('k1')).toMatchObject({ state: 'device', model: 'NOH-AN00', platform: 'kirin9000', android: '10', simulated: true, configured: true });
    expect(by('gone').state).toBe('not connected');
    expect(by('sim').state).toMatch(/simulated/);
    expect(by('-', 'stray-phone')).toMatchObject({ configured: false, state: 'device' });
    const text = await mai('devices', '--devices', yaml);
    expect(text.stdout).toMatch(/k1\s+kirin9000\s+lab-k9000/);
  });

  it('text mode names each server\'s problem and marks a simulated device', async () => {
    const held: net.Socket[] = [];
    const silent = net.createServer((c) => void held.push(c));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const quiet = (silent.address() as net.AddressInfo).port;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'mai-devices-'));
      const yaml = join(dir, 'devices.yaml');
      writeFileSync(yaml, `devices:\n  - id: k1\n    serial: lab-k9000\n    adb: 127.0.0.1:${port}\n  - id: quiet\n    serial: Q\n    adb: 127.0.0.1:${quiet}\n    connectTimeoutSec: 0.3\n`);
      const t0 = Date.now();
      const r = await mai('devices', '--devices', yaml);
      expect(Date.now() - t0).toBeLessThan(4000);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/k1\s+-\s+lab-k9000\s+127\.0\.0\.1:\d+\s+device\s+NOH-AN00\s+kirin9000\s+10\s+SIMULATED/);
      expect(r.stdout).toMatch(/quiet\s+-\s+Q\s+127\.0\.0\.1:\d+\s+adb server error/);
      expect(r.stdout).toContain(`adb server at 127.0.0.1:${quiet} accepted the connection but did not answer host:version within 0.3 s`);
      expect(r.stdout).toMatch(/adb server at 127\.0\.0\.1:1 is unreachable \(ECONNREFUSED\) — start it with `adb start-server`/);
      const json = JSON.parse((await mai('devices', '--devices', yaml, '--connect-timeout', '0.2', '--json')).stdout);
      expect(json.servers[`127.0.0.1:${quiet}`].error).toContain('within 0.2 s');
    } finally {
      for (const c of held) c.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  }, 15_000);
});
