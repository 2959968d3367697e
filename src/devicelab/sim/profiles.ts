/**
 * The simulated phones as data: one profile per GPU (hardware numbers, each
 * with its source) and the per-op efficiency model of TFLite's OpenCL delegate
 * on Mali, shared by all profiles (the fitted constants live in
 * calibration-fit.ts, written by scripts/calibrate-sim.ts). `mai sim --profile`
 * and devices.yaml `class:` pick a profile by name.
 */
import { inputError } from '../../core/errors.js';
import { MALI_FIT } from './calibration-fit.js';

/** Hardware of one phone. Every field has a line in `sources`. */
export interface Hardware {
  /** Shader cores. */
  cores: number;
  /** Max GPU clock, MHz. */
  clockMHz: number;
  /** FP32 / FP16 FLOPs per clock per core (an FMA counts 2). */
  fp32OpsPerClkPerCore: number;
  fp16OpsPerClkPerCore: number;
  /** DRAM bandwidth, bytes/s (theoretical). */
  memBytesPerSec: number;
  /** Big CPU cores the CPU fallback runs on, GHz each. */
  cpuClocksGHz: number[];
  /** FP32 FLOPs per clock of one big core (NEON FMA pipes). */
  cpuFlopsPerClk: number;
  /** The clock the thermal governor caps the GPU at when hot, MHz. */
  hotClockMHz: number;
}

export interface DeviceProfile {
  /** Profile name (= devices.yaml `class:`, `mai sim --profile`). */
  name: string;
  soc: string;
  gpu: string;
  phone: string;
  /** getprop values this phone reports (model, platform, …), over the Mate 40 Pro defaults. */
  props: Record<string, string>;
  hw: Hardware;
  sources: Record<keyof Hardware, string>;
}

const ARM_G78 = 'Arm Mali-G78 product brief: 2 execution engines × 16-lane FMA per core = 64 FP32 / 128 FP16 FLOPs per clock';
const ARM_G76 = 'Arm Mali-G76 product brief: 3 execution engines × 8-lane FMA per core = 48 FP32 / 96 FP16 FLOPs per clock';
const A76_FMA = 'Arm Cortex-A76: 2 × 128-bit NEON FMA pipes = 16 FP32 FLOPs per clock';
const HOT = 'assumption: the thermal governor caps the GPU at ~60 % of its max clock';

export const PROFILES: Readonly<Record<string, DeviceProfile>> = {
  kirin9000: {
    name: 'kirin9000',
    soc: 'HiSilicon Kirin 9000',
    gpu: 'Mali-G78 MP24',
    phone: 'Huawei Mate 40 Pro (NOH-AN00)',
    props: {},
    hw: { cores: 24, clockMHz: 759, fp32OpsPerClkPerCore: 64, fp16OpsPerClkPerCore: 128, memBytesPerSec: 44e9, cpuClocksGHz: [3.13, 2.54, 2.54, 2.54], cpuFlopsPerClk: 16, hotClockMHz: 455 },
    sources: {
      cores: 'docs/reference/tflite-gpu-adb-notes.md §6 (clinfo on a Mate 40 Pro: 24 compute units)',
      clockMHz: 'public Kirin 9000 spec sheets (759 MHz); not verified on a device',
      fp32OpsPerClkPerCore: ARM_G78,
      fp16OpsPerClkPerCore: ARM_G78,
      memBytesPerSec: 'public Kirin 9000 spec sheets: LPDDR5 5500 MT/s × 4 × 16 bit = 44 GB/s',
      cpuClocksGHz: 'notes §6: 1 × A77 @ 3.13 GHz + 3 × A77 @ 2.54 GHz',
      cpuFlopsPerClk: 'Arm Cortex-A77: 2 × 128-bit NEON FMA pipes = 16 FP32 FLOPs per clock',
      hotClockMHz: 'assumption: the 455 MHz step of the simulated devfreq ladder (mate40pro.ts), ~60 % of the max clock',
    },
  },
  kirin990: {
    name: 'kirin990',
    soc: 'HiSilicon Kirin 990',
    gpu: 'Mali-G76 MP16',
    phone: 'Huawei Mate 30 (TAS-AL00)',
    props: { 'ro.product.model': 'TAS-AL00', 'ro.board.platform': 'kirin990', 'ro.hardware': 'kirin990', 'ro.product.platform': 'kirin990', 'ro.hardware.alter': 'HiSilicon Kirin 990' },
    hw: { cores: 16, clockMHz: 600, fp32OpsPerClkPerCore: 48, fp16OpsPerClkPerCore: 96, memBytesPerSec: 34.1e9, cpuClocksGHz: [2.86, 2.86, 2.09, 2.09], cpuFlopsPerClk: 16, hotClockMHz: 360 },
    sources: {
      cores: 'HiSilicon Kirin 990 spec (Mali-G76 MP16)',
      clockMHz: 'public Kirin 990 spec sheets (600 MHz); not verified on a device',
      fp32OpsPerClkPerCore: ARM_G76,
      fp16OpsPerClkPerCore: ARM_G76,
      memBytesPerSec: 'public Kirin 990 spec sheets: LPDDR4X 4266 MT/s × 4 × 16 bit = 34.1 GB/s',
      cpuClocksGHz: 'public Kirin 990 spec sheets: 2 × A76 @ 2.86 GHz + 2 × A76 @ 2.09 GHz',
      cpuFlopsPerClk: A76_FMA,
      hotClockMHz: HOT,
    },
  },
  kirin980: {
    name: 'kirin980',
    soc: 'HiSilicon Kirin 980',
    gpu: 'Mali-G76 MP10',
    phone: 'Huawei Mate 20 (HMA-AL00)',
    props: { 'ro.product.model': 'HMA-AL00', 'ro.board.platform': 'kirin980', 'ro.hardware': 'kirin980', 'ro.product.platform': 'kirin980', 'ro.hardware.alter': 'HiSilicon Kirin 980' },
    hw: { cores: 10, clockMHz: 720, fp32OpsPerClkPerCore: 48, fp16OpsPerClkPerCore: 96, memBytesPerSec: 34.1e9, cpuClocksGHz: [2.6, 2.6, 1.92, 1.92], cpuFlopsPerClk: 16, hotClockMHz: 432 },
    sources: {
      cores: 'HiSilicon Kirin 980 spec (Mali-G76 MP10)',
      clockMHz: 'public Kirin 980 spec sheets (720 MHz); not verified on a device',
      fp32OpsPerClkPerCore: ARM_G76,
      fp16OpsPerClkPerCore: ARM_G76,
      memBytesPerSec: 'public Kirin 980 spec sheets: LPDDR4X 4266 MT/s × 4 × 16 bit = 34.1 GB/s',
      cpuClocksGHz: 'public Kirin 980 spec sheets: 2 × A76 @ 2.6 GHz + 2 × A76 @ 1.92 GHz',
      cpuFlopsPerClk: A76_FMA,
      hotClockMHz: HOT,
    },
  },
  tensor: {
    name: 'tensor',
    soc: 'Google Tensor (G1)',
    gpu: 'Mali-G78 MP20',
    phone: 'Google Pixel 6 (oriole)',
    props: { 'ro.product.model': 'Pixel 6', 'ro.product.brand': 'google', 'ro.product.manufacturer': 'Google', 'ro.board.platform': 'gs101', 'ro.hardware': 'oriole', 'ro.product.platform': 'gs101', 'ro.hardware.alter': 'Google Tensor' },
    hw: { cores: 20, clockMHz: 848, fp32OpsPerClkPerCore: 64, fp16OpsPerClkPerCore: 128, memBytesPerSec: 51.2e9, cpuClocksGHz: [2.8, 2.8, 2.25, 2.25], cpuFlopsPerClk: 16, hotClockMHz: 509 },
    sources: {
      cores: 'Google Tensor spec (Mali-G78 MP20)',
      clockMHz: 'third-party Tensor reviews (848 MHz shader clock); not verified on a device',
      fp32OpsPerClkPerCore: ARM_G78,
      fp16OpsPerClkPerCore: ARM_G78,
      memBytesPerSec: 'third-party Tensor reviews: LPDDR5 6400 MT/s × 4 × 16 bit = 51.2 GB/s',
      cpuClocksGHz: 'Google Tensor spec: 2 × X1 @ 2.8 GHz + 2 × A76 @ 2.25 GHz',
      cpuFlopsPerClk: 'assumption: 16 FP32 FLOPs per clock (A76 rate; the X1 has 4 pipes, XNNPACK rarely feeds them all)',
      hotClockMHz: HOT,
    },
  },
};

export const DEFAULT_PROFILE = 'kirin9000';

/** The profile called `name`; an unknown name is bad input (exit 2) listing the known ones. */
export function deviceProfile(name: string = DEFAULT_PROFILE): DeviceProfile {
  const p = PROFILES[name];
  if (!p) throw inputError('unknown-profile', `no simulated device profile '${name}'`, { hint: `known profiles: ${Object.keys(PROFILES).join(', ')}` });
  return p;
}

/** The profile for a devices.yaml class, when one is named after it (kirin9000, kirin990, …). */
export function profileForClass(deviceClass: string | undefined): DeviceProfile | undefined {
  return deviceClass ? PROFILES[deviceClass.toLowerCase()] : undefined;
}

/**
 * How TFLite's OpenCL delegate runs on Mali, shared by every profile (assumption:
 * Bifrost G76 and Valhall G78 reach the same fractions of their peaks; the fitted
 * fields come from MALI_FIT). Efficiency of a conv = convPeakEff × kernel factor ×
 * c/(c + channelHalf) × s/(s + spatialHalf), c = min(in, out) channels (padded to 4),
 * s = output pixels; memory-bound kernels reach memEff × their op factor of DRAM bandwidth.
 */
export const MALI_DELEGATE = {
  ...MALI_FIT,
  /** Kernel-size factor of conv efficiency: 1×1 convs are plain GEMMs; 3×3 stride 1 with ≥ 32 channels take Winograd (4×4 tiles, assumption: ×1.5 effective); larger kernels reuse less (assumption). */
  kernelFactor: { k1: 1, k3: 1, k3Winograd: 1.5, larger: 0.8 },
  /** Output pixels at which conv efficiency is half its max (assumption: a 24-core GPU needs ~16×16 pixels × 4-channel slices to fill). */
  spatialHalf: 196,
  /** Depthwise convs: compute efficiency (fraction of peak; assumption), memory-bound otherwise. */
  depthwiseEff: 0.08,
  /** Fraction of memEff reached by op kind (assumption: gathers and copies stream worse than element-wise). */
  memFactor: { elementwise: 1, resize: 0.6, concat: 0.8, pool: 0.8, other: 0.7 },
  /** The delegate flushes every 24 kernels on Mali (notes §2.5 flush_period=24); each flush costs (assumption) µs. */
  flushPeriod: 24,
  flushUs: 20,
  /** Kernel compile per GPU kernel at init (no serialization cache), ms. Assumption calibrated on notes §4.2 (Init 1451 ms for a 3.8 MB model). */
  compileMsPerKernel: 9,
  /** Interpreter + OpenCL context creation at init, ms. Assumption. */
  initBaseMs: 80,
  /** First inference / steady-state ratio (caches cold, first texture uploads). Assumption: 1.35. */
  firstRunFactor: 1.35,
  /** OpenCL context + driver memory, MB. Assumption. */
  driverMemoryMb: 38,
  /** Fraction of CPU peak reached by XNNPACK/builtin kernels on 4 threads; of DRAM bandwidth from the CPU (assumptions). */
  cpuEff: 0.35,
  cpuMemEff: 0.5,
  /** Per-op CPU interpreter overhead, µs (assumption). */
  cpuOpOverheadUs: 5,
  /** GPU↔CPU partition boundary: synchronisation per crossing tensor, µs (assumption: clFinish + map/unmap). */
  boundarySyncUs: 300,
} as const;

export type MaliDelegate = typeof MALI_DELEGATE;
