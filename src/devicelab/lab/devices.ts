/**
 * The nightly's devices: every id or tag of lab.yaml opened through the
 * deploy's `openLab` (devices.yaml, or the embedded simulator), the simulated
 * devices given tonight's behaviour (noise seeded by night and device, thermal
 * throttling now and then, offline when lab.yaml says so or by seeded chance),
 * and the cool-down wait before a run after a throttled one.
 */
import { createHash } from 'node:crypto';
import { seededRandom } from '../../core/random.js';
import { readAll, type Client } from '../adb/adbkit.js';
import { embeddedSimEntry, loadDevices, type DeviceEntry } from '../config/devices.js';
import { isThrottled, parseHealth } from '../deploy/health.js';
import { HEALTH_LINE } from '../deploy/commands.js';
import { openLab, type Lab } from '../deploy/lab.js';
import type { SimDeviceSpec } from '../sim/device.js';
import type { SimulationSettings } from './config.js';

export interface LabDevices {
  entries: DeviceEntry[];
  clientFor(e: DeviceEntry): Client;
  notices: string[];
  close(): Promise<void>;
}

/** A 32-bit seed from text (the night and a device). */
export function seedOf(...parts: string[]): number {
  return createHash('sha256').update(parts.join('|')).digest().readUInt32LE(0);
}

/** What tonight's simulated device with this serial does (ids: the devices.yaml ids that use the serial). */
export function simDeviceTonight(night: string, serial: string, ids: string[], sim: SimulationSettings): Omit<SimDeviceSpec, 'serial'> {
  const seed = seedOf(night, serial);
  const offline = sim.offline.includes(serial) || ids.some((id) => sim.offline.includes(id)) || seededRandom(seed ^ 0x0ff1) () < sim.offlineChance;
  return {
    seed,
    state: offline ? 'offline' : 'device',
    behaviour: { seed: seed ^ 0x1ab, runNoise: sim.runNoise, throttleChance: sim.throttleChance },
  };
}

export async function openLabDevices(specs: string[], o: { devicesFile: string; devicesFileExplicit?: boolean; night: string; simulation: SimulationSettings }): Promise<LabDevices> {
  const all = (await loadDevices(o.devicesFile, !o.devicesFileExplicit)) ?? [];
  const fallback = embeddedSimEntry('kirin9000');
  const idsOf = (serial: string) => [...all.filter((d) => d.serial === serial).map((d) => d.id), ...(serial === fallback.serial ? [fallback.id] : [])];
  const labs: Lab[] = [];
  const owner = new Map<string, Lab>();
  const entries: DeviceEntry[] = [];
  try {
    for (const spec of specs) {
      const lab = await openLab(spec, {
        devicesFile: o.devicesFile,
        devicesFileExplicit: o.devicesFileExplicit,
        simDevice: (serial) => simDeviceTonight(o.night, serial, idsOf(serial), o.simulation),
      });
      labs.push(lab);
      for (const e of lab.entries) {
        if (owner.has(e.id)) continue;
        owner.set(e.id, lab);
        entries.push(e);
      }
    }
  } catch (e) {
    await Promise.all(labs.map((l) => l.close()));
    throw e;
  }
  return {
    entries,
    clientFor: (e) => owner.get(e.id)!.clientFor(e),
    notices: labs.map((l) => l.notice).filter((n): n is string => !!n),
    close: async () => void (await Promise.all(labs.map((l) => l.close()))),
  };
}

/**
 * Wait until the phone is cool again (no zone above the device's threshold, GPU clock not capped),
 * polling its health; gives up after `maxSec` and says so.
 */
export async function coolDown(client: Client, entry: DeviceEntry, maxSec: number, pollMs: number): Promise<{ cool: boolean; waitedMs: number }> {
  const t0 = Date.now();
  const dev = client.getDevice(entry.serial);
  for (;;) {
    let hot = true;
    try {
      const h = parseHealth((await readAll(await dev.shell(HEALTH_LINE))).toString('utf8'));
      hot = isThrottled(h, entry.throttleTempC, entry.soc === 'kirin9000' ? 759 : undefined);
    } catch {
      hot = true;
    }
    const waited = Date.now() - t0;
    if (!hot) return { cool: true, waitedMs: waited };
    if (waited >= maxSec * 1000) return { cool: false, waitedMs: waited };
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
