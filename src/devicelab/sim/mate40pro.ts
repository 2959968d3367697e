/**
 * What the simulated Huawei Mate 40 Pro (Kirin 9000, Mali-G78 MP24) reports.
 * Source: docs/reference/tflite-gpu-adb-notes.md §6 ("expected on a Mate 40 Pro
 * (by analogy, not a captured dump)"). `ro.mai.simulated` is ours: it marks the device as
 * the simulator so that every result is stored as simulated.
 */
export const MATE40PRO_PROPS: Readonly<Record<string, string>> = {
  'ro.product.model': 'NOH-AN00',
  'ro.product.brand': 'HUAWEI',
  'ro.product.manufacturer': 'HUAWEI',
  'ro.product.name': 'NOH-AN00',
  'ro.product.device': 'HWNOH',
  'ro.build.product': 'NOH',
  'ro.board.platform': 'kirin9000',
  'ro.hardware': 'kirin9000',
  'ro.boot.hardware': 'kirin9000',
  'ro.product.platform': 'kirin9000',
  'ro.hardware.alter': 'HiSilicon Kirin 9000',
  'ro.hardware.egl': 'mali',
  'ro.product.cpu.abi': 'arm64-v8a',
  'ro.product.cpu.abilist': 'arm64-v8a,armeabi-v7a,armeabi',
  'ro.build.version.release': '10',
  'ro.build.version.sdk': '29',
  'hw_sc.build.os.version': '2.0.0',
  'ro.build.display.id': 'NOH-AN00 2.0.0.168(C00E160R3P2)',
  'ro.serialno': '',
  'ro.mai.simulated': '1',
  'ro.mai.gpu': 'Mali-G78 MP24',
};

/** Thermal zones (type, baseline temperature in m°C). Names follow common Kirin kernels; assumption. */
export const MATE40PRO_THERMAL_ZONES: ReadonlyArray<{ type: string; baseMilliC: number }> = [
  { type: 'soc_thermal', baseMilliC: 36000 },
  { type: 'cluster0', baseMilliC: 35500 },
  { type: 'cluster1', baseMilliC: 36500 },
  { type: 'gpu', baseMilliC: 35800 },
  { type: 'battery', baseMilliC: 30100 },
  { type: 'shell_front', baseMilliC: 31000 },
];

/**
 * GPU devfreq node. Assumption: HiSilicon kernels name the Mali devfreq device `gpufreq`
 * (`/sys/class/devfreq/gpufreq/{cur_freq,max_freq,available_frequencies}`, Hz).
 * 759 MHz max (public Kirin 9000 spec sheets); the lower steps are illustrative.
 */
export const MATE40PRO_GPU_FREQS_HZ: readonly number[] = [151000000, 251000000, 351000000, 455000000, 548000000, 645000000, 759000000];
export const GPU_DEVFREQ_DIR = '/sys/class/devfreq/gpufreq';
