/**
 * Resolving `--device ID|TAG` to device entries and adb clients: devices.yaml
 * first; with no entry and no adb server reachable, the embedded simulated
 * Kirin 9000 (started here, stopped by `close()`).
 */
import net from 'node:net';
import { environmentError, inputError } from '../../core/errors.js';
import { AdbSimServer } from '../sim/server.js';
import type { SimDeviceSpec } from '../sim/device.js';
import { adbClient, defaultAdbServer, type Client } from '../adb/adbkit.js';
import { deviceProfile, profileForClass } from '../sim/profiles.js';
import { checkBenchmarkBinaries, embeddedSimEntry, loadDevices, selectDevices, type DeviceEntry } from '../config/devices.js';

export interface Lab {
  entries: DeviceEntry[];
  clientFor(e: DeviceEntry): Client;
  /** One line to print when the embedded simulator was started. */
  notice?: string;
  close(): Promise<void>;
}

export function adbReachable(host: string, port: number, timeoutMs = 400): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export interface LabOptions {
  devicesFile: string;
  /** Explicit path given by the user (then a missing file is an error). */
  devicesFileExplicit?: boolean;
  /** Extra settings of each embedded simulated device, by serial (the nightly lab: noise seed, offline). */
  simDevice?: (serial: string) => Omit<SimDeviceSpec, 'serial'>;
}

export async function openLab(idOrTag: string, o: LabOptions): Promise<Lab> {
  const all = (await loadDevices(o.devicesFile, !o.devicesFileExplicit)) ?? [];
  let entries = selectDevices(all, idOrTag);
  let sim: AdbSimServer | undefined;
  let notice: string | undefined;
  let fallback = false;
  const adb = defaultAdbServer();
  if (entries.length === 0) {
    if (idOrTag !== 'kirin9000' && !idOrTag.startsWith('sim')) {
      throw inputError('unknown-device', `no device in ${o.devicesFile} has the id or tag '${idOrTag}'`, {
        file: o.devicesFile,
        hint: `known: ${all.map((d) => `${d.id} [${d.tags.join(', ')}]`).join('; ') || '(none)'}; without an entry, --device kirin9000 runs on the simulated Kirin 9000`,
      });
    }
    if (await adbReachable(adb.host, adb.port)) {
      throw environmentError('no-device-entry', `an adb server is running at ${adb.host}:${adb.port} but ${o.devicesFile} has no device for '${idOrTag}'`, {
        hint: 'add the phone to devices.yaml (mai devices lists what the adb server sees), or stop the adb server to use the simulator',
      });
    }
    entries = [embeddedSimEntry(idOrTag)];
    fallback = true;
  }
  // Configuration problems are exit-2 errors before any device is touched.
  await checkBenchmarkBinaries(entries, o.devicesFile);
  const needsSim = entries.some((e) => e.adb === 'embedded');
  if (needsSim) {
    const serials = [...new Set(entries.filter((e) => e.adb === 'embedded').map((e) => e.serial))];
    // devices.yaml `class:` naming a profile (kirin990, tensor, …) picks the phone simulated; else the Kirin 9000.
    const profileOf = (serial: string) => profileForClass(entries.find((e) => e.adb === 'embedded' && e.serial === serial)?.deviceClass) ?? deviceProfile();
    sim = new AdbSimServer({ devices: serials.map((serial) => ({ serial, profile: profileOf(serial).name, ...o.simDevice?.(serial) })) });
    const { port } = await sim.listen(0);
    const socs = [...new Set(serials.map((s) => profileOf(s).soc.replace(/^HiSilicon /, '')))].join(' / ');
    notice = fallback
      ? `mai: no device for '${idOrTag}' in ${o.devicesFile} and no adb server: using the embedded SIMULATED ${socs} (adb on 127.0.0.1:${port}); timings are modelled, not measured`
      : `mai: ${entries.filter((e) => e.adb === 'embedded').map((e) => e.id).join(', ')}: the embedded SIMULATED ${socs} (adb on 127.0.0.1:${port}); timings are modelled, not measured`;
  }
  const clients = new Map<string, Client>();
  return {
    entries,
    notice,
    clientFor(e) {
      const addr = e.adb === 'embedded' ? { host: '127.0.0.1', port: sim!.port } : e.adb;
      const key = `${addr.host}:${addr.port}`;
      let c = clients.get(key);
      if (!c) clients.set(key, (c = adbClient(addr.host, addr.port)));
      return c;
    },
    async close() {
      await sim?.close();
    },
  };
}
