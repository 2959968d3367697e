/**
 * Mali-G78 MP24 (Kirin 9000, Huawei Mate 40 Pro) latency cost model for the
 * SIMULATED device. It is a model, not a measurement: every number it produces
 * is stored and shown as simulated.
 *
 * Per op, on the GPU:  t = max(FLOPs / (fp16 peak · efficiency), bytes / (LPDDR5 bw · efficiency))
 *                          + per-kernel dispatch overhead,
 * with every channel dimension padded to a multiple of 4 (the delegate slices
 * tensors into 4-channel textures). Element-wise ops that follow a kernel are
 * linked into it (no dispatch, no memory round trip). Nodes the delegate
 * rejects run on the CPU at Cortex-A77 speed, and every tensor crossing a
 * GPU↔CPU partition boundary costs a copy plus a synchronisation.
 */
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { nodeFlops } from '../../ir/flops.js';
import { DTYPE_SIZE } from '../../ir/dtype.js';
import { numElements, type Tensor } from '../../ir/tensor.js';
import { delegateConstants, isFoldedDequantize, type GpuCompatReport } from '../../convert/gpu/check.js';

/** Every constant with its source. "assumption" = chosen by us, calibrated as stated; change with care. */
export const MALI_G78_MP24 = {
  /** Shader cores. Source: notes §6 (clinfo on a Mate 40 Pro: "Max compute units: 24"; Mali-G78 MP24). */
  cores: 24,
  /** Max GPU clock, MHz. Source: public Kirin 9000 spec sheets (Mali-G78 MP24 @ 759 MHz); not verified on a device here. */
  freqMHz: 759,
  /** FP32 FLOPs per clock per core: Valhall G78 has 2 execution engines × 16-lane FMA = 32 FMA = 64 FLOPs. Source: Arm Mali-G78 product brief. */
  fp32FlopsPerClkPerCore: 64,
  /** FP16 runs at twice the FP32 rate on Valhall (packed half). Source: Arm Mali-G78 product brief. */
  fp16Factor: 2,
  /** Fraction of peak that TFLite's OpenCL conv kernels reach. Assumption: 0.3 (typical 25–40 % for mobile GPU conv kernels). */
  computeEfficiency: 0.3,
  /** Fraction of peak reached by memory-bound kernels. Assumption: 0.6. */
  memoryEfficiency: 0.6,
  /**
   * Dispatch + launch cost per kernel at the nominal clock, µs. Assumption: 8 µs (clEnqueueNDRangeKernel
   * + job-manager launch on Mali). The GPU-side part runs at the GPU clock, so it scales with
   * nominal/current clock when the device is throttled (assumption).
   */
  dispatchUs: 8,
  /** The delegate flushes every 24 kernels on Mali (notes §2.5 flush_period=24); each flush, µs. Assumption: 20 µs. */
  flushPeriod: 24,
  flushUs: 20,
  /** Fixed cost per inference: input upload, clFinish, output readback sync, µs. Assumption: 150 µs. */
  perInferenceUs: 150,
  /** Kernel compile time per GPU kernel at init (no serialization cache), ms. Assumption calibrated on notes §4.2 (Init 1451 ms for a 3.8 MB model). */
  compileMsPerKernel: 9,
  /** Interpreter + OpenCL context creation at init, ms. Assumption. */
  initBaseMs: 80,
  /** First inference / steady-state ratio (caches cold, first texture uploads). Assumption: 1.35. */
  firstRunFactor: 1.35,
  /** OpenCL context + driver memory, MB. Assumption. */
  driverMemoryMb: 38,
} as const;

export const LPDDR5 = {
  /** Kirin 9000: LPDDR5 at 2750 MHz (5500 MT/s), 4 × 16-bit channels → 5500e6 × 8 B = 44 GB/s. Source: public Kirin 9000 spec sheets. */
  bytesPerSec: 44e9,
} as const;

export const CORTEX_A77 = {
  /** Big cores used by the CPU fallback: 1 × A77 @ 3.13 GHz + 3 × A77 @ 2.54 GHz. Source: notes §6. */
  clocksGHz: [3.13, 2.54, 2.54, 2.54],
  /** 2 × 128-bit NEON FMA pipes = 8 FP32 FMA = 16 FLOPs per clock. Source: Arm Cortex-A77 TRM/product brief. */
  flopsPerClk: 16,
  /** Fraction of peak reached by XNNPACK/builtin kernels on 4 threads. Assumption: 0.35. */
  efficiency: 0.35,
  /** Memory efficiency from the CPU. Assumption: 0.5. */
  memoryEfficiency: 0.5,
  /** Per-op interpreter overhead, µs. Assumption. */
  opOverheadUs: 5,
  /** GPU↔CPU partition boundary: synchronisation per crossing tensor, µs. Assumption: 300 µs (clFinish + map/unmap). */
  boundarySyncUs: 300,
} as const;

/** Ops the GPU delegate links into the preceding kernel (element-wise, one runtime input). */
const LINKABLE = new Set(['RELU', 'RELU6', 'RELU_N1_TO_1', 'RELU_0_TO_1', 'LEAKY_RELU', 'LOGISTIC', 'TANH', 'HARD_SWISH', 'ABS', 'NEG', 'EXP', 'SQRT', 'RSQRT', 'SQUARE', 'ELU', 'GELU', 'PRELU']);
const BINARY_LINKABLE = new Set(['ADD', 'MUL', 'SUB', 'DIV', 'MAXIMUM', 'MINIMUM']);

export interface CostOptions {
  /** `--gpu_precision_loss_allowed=true` → fp16 (default); false → fp32. */
  fp16?: boolean;
  /** Current GPU clock, MHz (lower when the device is throttled). */
  gpuFreqMHz?: number;
}

export interface CostEstimate {
  /** Steady-state latency of one inference, µs (no noise). */
  inferenceUs: number;
  firstUs: number;
  initMs: number;
  gpuKernels: number;
  gpuUs: number;
  cpuUs: number;
  boundaryUs: number;
  /** Padded FLOPs the GPU executes. */
  gpuFlops: number;
  memory: { initMb: number; overallMb: number };
}

const pad4 = (c: number) => Math.ceil(c / 4) * 4;

/** Elements with the last (channel) dim padded to 4, as the GPU stores them. */
function paddedElements(t: Tensor): number {
  if (t.shape.length === 0) return 4;
  const c = t.shape[t.shape.length - 1]!;
  return (numElements(t.shape) / Math.max(1, c)) * pad4(c);
}

/** FLOPs with input and output channels padded to multiples of 4. */
export function paddedFlops(g: Graph, n: Node): number {
  const t = (i: number) => (n.inputs[i] ? g.tensors.get(n.inputs[i]!) : undefined);
  const out = n.outputs[0] ? g.tensors.get(n.outputs[0]) : undefined;
  if (!out) return 0;
  const spatial = numElements(out.shape) / Math.max(1, out.shape[out.shape.length - 1] ?? 1);
  const w = t(1);
  switch (n.op) {
    case 'CONV_2D':
      if (w?.shape.length === 4) return 2 * spatial * pad4(w.shape[0]!) * w.shape[1]! * w.shape[2]! * pad4(w.shape[3]!);
      break;
    case 'DEPTHWISE_CONV_2D':
      if (w?.shape.length === 4) return 2 * spatial * pad4(w.shape[3]!) * w.shape[1]! * w.shape[2]!;
      break;
    case 'FULLY_CONNECTED':
      if (w?.shape.length === 2) return 2 * spatial * pad4(w.shape[0]!) * pad4(w.shape[1]!);
      break;
  }
  const raw = nodeFlops(g, n);
  const ratio = paddedElements(out) / Math.max(1, numElements(out.shape));
  return raw * ratio;
}

function gpuBytes(g: Graph, n: Node, elem: number, linked: boolean, consts: Set<string>): number {
  let bytes = 0;
  for (const name of n.inputs) {
    if (!name) continue;
    const t = g.tensors.get(name);
    if (!t) continue;
    if (consts.has(t.name)) bytes += numElements(t.shape) * elem; // weights are uploaded in the compute precision
    else if (!linked) bytes += paddedElements(t) * elem;
  }
  if (!linked) for (const name of n.outputs) {
    const t = g.tensors.get(name);
    if (t) bytes += paddedElements(t) * elem;
  }
  return bytes;
}

function cpuBytes(g: Graph, n: Node): number {
  let bytes = 0;
  for (const name of [...n.inputs, ...n.outputs]) {
    const t = name ? g.tensors.get(name) : undefined;
    if (t) bytes += numElements(t.shape) * (DTYPE_SIZE[t.dtype] || 4);
  }
  return bytes;
}

/** Cost of one inference of `g` as the delegate report partitions it. */
export function estimateCost(g: Graph, report: GpuCompatReport, modelBytes: number, opts: CostOptions = {}): CostEstimate {
  const M = MALI_G78_MP24;
  const fp16 = opts.fp16 ?? true;
  const freq = opts.gpuFreqMHz ?? M.freqMHz;
  const peak = M.cores * freq * 1e6 * M.fp32FlopsPerClkPerCore * (fp16 ? M.fp16Factor : 1);
  const bw = LPDDR5.bytesPerSec * M.memoryEfficiency;
  const elem = fp16 ? 2 : 4;
  const cpuPeak = CORTEX_A77.clocksGHz.reduce((a, c) => a + c, 0) * 1e9 * CORTEX_A77.flopsPerClk * CORTEX_A77.efficiency;
  const cpuBw = LPDDR5.bytesPerSec * CORTEX_A77.memoryEfficiency;
  const prod = g.producers();
  const consumers = g.consumers();
  const delegated = new Map(report.nodes.map((v) => [g.nodes[v.index]!, v.delegated] as const));

  let gpuUs = 0;
  let cpuUs = 0;
  let kernels = 0;
  let gpuFlops = 0;
  const consts = delegateConstants(g);
  for (const n of g.nodes) {
    if (isFoldedDequantize(g, n)) continue; // folded into its consumer's weights at init
    if (delegated.get(n)) {
      const src = n.inputs[0] ? prod.get(n.inputs[0]) : undefined;
      const runtimeIns = n.inputs.filter((i) => i && !consts.has(i));
      const linkable = (LINKABLE.has(n.op) || (BINARY_LINKABLE.has(n.op) && runtimeIns.length === 1)) && src !== undefined && delegated.get(src) === true && (consumers.get(n.inputs[0]!)?.length ?? 0) === 1;
      const flops = paddedFlops(g, n);
      gpuFlops += flops;
      const bytes = gpuBytes(g, n, elem, linkable, consts);
      const t = Math.max(flops / (peak * M.computeEfficiency), bytes / bw) * 1e6;
      gpuUs += t + (linkable ? 0 : M.dispatchUs * (M.freqMHz / freq));
      if (!linkable) kernels++;
    } else {
      const t = Math.max(nodeFlops(g, n) / cpuPeak, cpuBytes(g, n) / cpuBw) * 1e6;
      cpuUs += t + CORTEX_A77.opOverheadUs;
    }
  }
  gpuUs += Math.floor(kernels / M.flushPeriod) * M.flushUs;
  // Tensors crossing between GPU and CPU partitions.
  let boundaryUs = 0;
  if (report.delegatedNodeCount > 0 && report.cpuNodeCount > 0) {
    for (const n of g.nodes) {
      for (const i of n.inputs) {
        const p = i ? prod.get(i) : undefined;
        if (!p || delegated.get(p) === delegated.get(n)) continue;
        const t = g.tensor(i);
        boundaryUs += CORTEX_A77.boundarySyncUs + ((numElements(t.shape) * 4) / cpuBw) * 1e6;
      }
    }
  }
  const hasGpu = report.delegatedNodeCount > 0;
  const inferenceUs = gpuUs + cpuUs + boundaryUs + (hasGpu ? M.perInferenceUs : 0);
  let actBytes = 0;
  for (const t of g.tensors.values()) if (!consts.has(t.name)) actBytes += paddedElements(t) * elem;
  const initMb = modelBytes / 1048576 + 2.1;
  return {
    inferenceUs,
    firstUs: inferenceUs * M.firstRunFactor,
    initMs: M.initBaseMs + kernels * M.compileMsPerKernel + modelBytes / 200e6 * 1e3,
    gpuKernels: kernels,
    gpuUs,
    cpuUs,
    boundaryUs,
    gpuFlops,
    memory: { initMb, overallMb: initMb + (hasGpu ? M.driverMemoryMb : 4) + (actBytes * 2) / 1048576 },
  };
}
