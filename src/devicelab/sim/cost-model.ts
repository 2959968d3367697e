/**
 * Latency cost model of TFLite's OpenCL GPU delegate on a Mali phone (a
 * profile of profiles.ts; the Kirin 9000 by default) for the SIMULATED device.
 * It is a model calibrated on published runs (anchors.ts), not a measurement:
 * every number it produces is stored and shown as simulated.
 *
 * Per op, on the GPU:  t = max(FLOPs / (peak · op efficiency), bytes / (DRAM bw · op memory efficiency))
 *                          + per-kernel dispatch overhead,
 * with every channel dimension padded to a multiple of 4 (the delegate slices
 * tensors into 4-channel textures); the op efficiency follows the curves of
 * MALI_DELEGATE (conv by kernel size, channels and output size; depthwise;
 * element-wise, resize, concat, pooling by their memory traffic). Int8
 * models cost what their float version costs: the delegate dequantizes
 * weights and runs its float (fp16 or fp32) kernels. Element-wise ops that follow a kernel are
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
import { deviceProfile, MALI_DELEGATE, type DeviceProfile, type MaliDelegate } from './profiles.js';

/** Ops the GPU delegate links into the preceding kernel (element-wise, one runtime input). */
const LINKABLE = new Set(['RELU', 'RELU6', 'RELU_N1_TO_1', 'RELU_0_TO_1', 'LEAKY_RELU', 'LOGISTIC', 'TANH', 'HARD_SWISH', 'ABS', 'NEG', 'EXP', 'SQRT', 'RSQRT', 'SQUARE', 'ELU', 'GELU', 'PRELU']);
const BINARY_LINKABLE = new Set(['ADD', 'MUL', 'SUB', 'DIV', 'MAXIMUM', 'MINIMUM']);

export interface CostOptions {
  /** `--gpu_precision_loss_allowed=true` → fp16 (default); false → fp32. */
  fp16?: boolean;
  /** Current GPU clock, MHz (lower when the device is throttled); default the profile's max. */
  gpuFreqMHz?: number;
  /** The phone (default the Kirin 9000). */
  profile?: DeviceProfile;
  /** Delegate constants other than MALI_DELEGATE (the calibration fit tries them). */
  delegate?: MaliDelegate;
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

const sat = (x: number, half: number) => x / (x + half);
const MEM_KIND: Record<string, keyof MaliDelegate['memFactor']> = {
  RESIZE_BILINEAR: 'resize', RESIZE_NEAREST_NEIGHBOR: 'resize', CONCATENATION: 'concat',
  MAX_POOL_2D: 'pool', AVERAGE_POOL_2D: 'pool', MEAN: 'pool',
};

/** Fraction of peak compute a delegated op reaches (the efficiency curves of MALI_DELEGATE). */
export function computeEfficiency(g: Graph, n: Node, D: MaliDelegate = MALI_DELEGATE): number {
  const w = n.inputs[1] ? g.tensors.get(n.inputs[1]) : undefined;
  const out = n.outputs[0] ? g.tensors.get(n.outputs[0]) : undefined;
  const pixels = out && out.shape.length === 4 ? out.shape[1]! * out.shape[2]! : 1;
  if (n.op === 'DEPTHWISE_CONV_2D') return D.depthwiseEff;
  if ((n.op === 'CONV_2D' || n.op === 'FULLY_CONNECTED') && w) {
    const cin = n.op === 'CONV_2D' ? w.shape[3]! : w.shape[1]!;
    const cout = w.shape[0]!;
    const k = n.op === 'CONV_2D' ? Math.max(w.shape[1]!, w.shape[2]!) : 1;
    const stride = n.attrs.strideH ?? 1;
    const kf = k === 1 ? D.kernelFactor.k1 : k === 3 ? (stride === 1 && Math.min(cin, cout) >= 32 ? D.kernelFactor.k3Winograd : D.kernelFactor.k3) : D.kernelFactor.larger;
    return D.convPeakEff * kf * sat(pad4(Math.min(cin, cout)), D.channelHalf) * sat(pixels, D.spatialHalf);
  }
  return D.convPeakEff * sat(pixels, D.spatialHalf);
}

/** Cost of one inference of `g` as the delegate report partitions it. */
export function estimateCost(g: Graph, report: GpuCompatReport, modelBytes: number, opts: CostOptions = {}): CostEstimate {
  const D = opts.delegate ?? MALI_DELEGATE;
  const P = opts.profile ?? deviceProfile();
  const hw = P.hw;
  const fp16 = opts.fp16 ?? true;
  const freq = opts.gpuFreqMHz ?? hw.clockMHz;
  const peak = hw.cores * freq * 1e6 * (fp16 ? hw.fp16OpsPerClkPerCore : hw.fp32OpsPerClkPerCore);
  const bw = hw.memBytesPerSec * D.memEff;
  const elem = fp16 ? 2 : 4;
  const cpuPeak = hw.cpuClocksGHz.reduce((a, c) => a + c, 0) * 1e9 * hw.cpuFlopsPerClk * D.cpuEff;
  const cpuBw = hw.memBytesPerSec * D.cpuMemEff;
  const prod = g.producers();
  const consumers = g.consumers();
  const delegated = new Map(report.nodes.map((v) => [g.nodes[v.index]!, v.delegated] as const));
  // GPU-side launch work runs at the GPU clock: slower when throttled (assumption).
  const clockScale = hw.clockMHz / freq;

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
      const memFactor = D.memFactor[MEM_KIND[n.op] ?? (flops > 0 && ['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED'].includes(n.op) ? 'other' : 'elementwise')];
      const t = Math.max(flops / (peak * computeEfficiency(g, n, D)), bytes / (bw * memFactor)) * 1e6;
      gpuUs += t + (linkable ? 0 : D.dispatchUs * clockScale);
      if (!linkable) kernels++;
    } else {
      const t = Math.max(nodeFlops(g, n) / cpuPeak, cpuBytes(g, n) / cpuBw) * 1e6;
      cpuUs += t + D.cpuOpOverheadUs;
    }
  }
  gpuUs += Math.floor(kernels / D.flushPeriod) * D.flushUs;
  // Tensors crossing between GPU and CPU partitions.
  let boundaryUs = 0;
  if (report.delegatedNodeCount > 0 && report.cpuNodeCount > 0) {
    for (const n of g.nodes) {
      for (const i of n.inputs) {
        const p = i ? prod.get(i) : undefined;
        if (!p || delegated.get(p) === delegated.get(n)) continue;
        const t = g.tensor(i);
        boundaryUs += D.boundarySyncUs + ((numElements(t.shape) * 4) / cpuBw) * 1e6;
      }
    }
  }
  const hasGpu = report.delegatedNodeCount > 0;
  const inferenceUs = gpuUs + cpuUs + boundaryUs + (hasGpu ? D.perInferenceUs : 0);
  let actBytes = 0;
  for (const t of g.tensors.values()) if (!consts.has(t.name)) actBytes += paddedElements(t) * elem;
  const initMb = modelBytes / 1048576 + 2.1;
  return {
    inferenceUs,
    firstUs: inferenceUs * D.firstRunFactor,
    initMs: D.initBaseMs + kernels * D.compileMsPerKernel + modelBytes / 200e6 * 1e3,
    gpuKernels: kernels,
    gpuUs,
    cpuUs,
    boundaryUs,
    gpuFlops,
    memory: { initMb, overallMb: initMb + (hasGpu ? D.driverMemoryMb : 4) + (actBytes * 2) / 1048576 },
  };
}
