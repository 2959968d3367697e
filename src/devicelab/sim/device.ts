/** One simulated phone (a profile of profiles.ts; the Kirin 9000 by default): adb state, properties, filesystem, health, injected faults. */
import type { Graph } from '../../ir/graph.js';
import { CommandLog } from './command-log.js';
import { Vfs } from './vfs.js';
import { SimLabState, type SimLabBehaviour } from './lab-behaviour.js';
import { GPU_DEVFREQ_DIR, MATE40PRO_GPU_FREQS_HZ, MATE40PRO_PROPS, MATE40PRO_THERMAL_ZONES } from './mate40pro.js';
import { deviceProfile, type DeviceProfile } from './profiles.js';

/** Fault injection. Counters count down as faults fire, so "the next N times" is expressible. */
export interface SimFaults {
  /** Drop the connection in the middle of the next `count` pushes (after `afterBytes`, default 32 KiB). */
  disconnectMidPush?: { count: number; afterBytes?: number };
  /** The next `count` benchmark_model runs crash (Segmentation fault, exit 139). */
  benchmarkCrash?: { count: number };
  /** The next `count` benchmark_model runs hang (the shell never ends): exercises timeouts. */
  benchmarkHang?: { count: number };
  /** The next `count` benchmark_model runs run no inference: `count=0`, `Inference (avg): 0` (what the tool prints when it reads 0 runs). */
  zeroRuns?: { count: number };
  /** The device runs hot: thermal zones ≥ 50 °C and the GPU clock capped → throttled, slower timings. */
  hot?: boolean;
}

export interface SimDeviceSpec {
  serial?: string;
  state?: string;
  /** Seed of the timing noise. */
  seed?: number;
  faults?: SimFaults;
  /** Run-to-run noise and occasional thermal throttling over many nights (lab-behaviour.ts). */
  behaviour?: SimLabBehaviour;
  /** The phone simulated: a profile name of profiles.ts (default kirin9000). */
  profile?: string;
}

export type GraphReader = (bytes: Uint8Array, file: string) => Graph | Promise<Graph>;

export class SimDevice {
  readonly serial: string;
  state: string;
  readonly props: Record<string, string>;
  readonly fs = new Vfs();
  /** Every command its shell ran (argv after expansion) and every line it refused. */
  readonly commands = new CommandLog();
  faults: SimFaults;
  seed: number;
  /** Extra heat from recent benchmark runs, m°C. */
  heatMilliC = 0;
  batteryLevel = 87;
  readonly profile: DeviceProfile;
  /** devfreq steps, Hz: the Mate 40 Pro ladder scaled to the profile's max clock (illustrative below the max). */
  readonly gpuFreqsHz: readonly number[];
  gpuCurHz: number;
  readonly transportId: number;
  /** Benchmark runs so far (varies the noise between runs). */
  runs = 0;
  /** Lab behaviour (per-process noise, throttling episodes), when simulating a lab. */
  readonly lab?: SimLabState;
  /** A lab-behaviour throttling episode lasts until this time (ms since epoch; Infinity while its run lasts): hot zones, capped GPU clock. */
  throttleUntil = 0;

  constructor(spec: SimDeviceSpec = {}, transportId = 1) {
    this.serial = spec.serial ?? 'sim-kirin9000-1';
    this.state = spec.state ?? 'device';
    this.seed = spec.seed ?? 9000;
    this.profile = deviceProfile(spec.profile);
    const top = MATE40PRO_GPU_FREQS_HZ[MATE40PRO_GPU_FREQS_HZ.length - 1]!;
    this.gpuFreqsHz = MATE40PRO_GPU_FREQS_HZ.map((f) => Math.round((f * this.profile.hw.clockMHz * 1e6) / top / 1e6) * 1e6);
    this.gpuCurHz = this.gpuFreqsHz[1]!;
    this.faults = spec.faults ?? {};
    if (spec.behaviour) this.lab = new SimLabState(spec.behaviour);
    this.transportId = transportId;
    this.props = { ...MATE40PRO_PROPS, ...this.profile.props, 'ro.mai.gpu': this.profile.gpu, 'ro.serialno': this.serial };
    for (const d of ['/data/local/tmp', '/sdcard', '/system/bin', '/proc']) this.fs.mkdirp(d, 0o771);
    MATE40PRO_THERMAL_ZONES.forEach((z, i) => {
      this.fs.dynamicFile(`/sys/class/thermal/thermal_zone${i}/type`, () => `${z.type}\n`);
      this.fs.dynamicFile(`/sys/class/thermal/thermal_zone${i}/temp`, () => `${this.zoneTemp(z.baseMilliC)}\n`);
    });
    this.fs.dynamicFile(`${GPU_DEVFREQ_DIR}/cur_freq`, () => `${this.gpuCurHz}\n`);
    this.fs.dynamicFile(`${GPU_DEVFREQ_DIR}/max_freq`, () => `${this.gpuMaxHz()}\n`);
    this.fs.dynamicFile(`${GPU_DEVFREQ_DIR}/available_frequencies`, () => `${this.gpuFreqsHz.join(' ')}\n`);
    this.fs.dynamicFile('/proc/version', () => 'Linux version 5.4.86 (simulated Kirin 9000, mai sim)\n');
  }

  zoneTemp(baseMilliC: number): number {
    return Math.round(baseMilliC + this.heatMilliC + (this.hot() ? 16000 : 0));
  }

  /** Hot now: the `hot` fault, or a throttling episode of the lab behaviour. */
  hot(): boolean {
    return this.faults.hot === true || Date.now() < this.throttleUntil;
  }

  /** devfreq max_freq: capped by the thermal governor when hot. */
  gpuMaxHz(): number {
    return this.hot() ? this.profile.hw.hotClockMHz * 1e6 : this.gpuFreqsHz[this.gpuFreqsHz.length - 1]!;
  }

  batteryTempTenthC(): number {
    return Math.round((30100 + this.heatMilliC * 0.4 + (this.hot() ? 12000 : 0)) / 100);
  }

  dumpsysBattery(): string {
    return [
      'Current Battery Service state:',
      '  AC powered: false',
      '  USB powered: true',
      '  Wireless powered: false',
      '  Max charging current: 500000',
      '  Max charging voltage: 5000000',
      '  Charge counter: 3925000',
      '  status: 2',
      '  health: 2',
      '  present: true',
      `  level: ${this.batteryLevel}`,
      '  scale: 100',
      '  voltage: 4312',
      `  temperature: ${this.batteryTempTenthC()}`,
      '  technology: Li-poly',
      '',
    ].join('\n');
  }

  /** Take one from a counted fault; true when it fires. */
  take(kind: 'disconnectMidPush' | 'benchmarkCrash' | 'benchmarkHang' | 'zeroRuns'): boolean {
    const f = this.faults[kind];
    if (!f || f.count <= 0) return false;
    f.count--;
    return true;
  }
}
