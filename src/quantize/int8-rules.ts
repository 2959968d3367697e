/**
 * What each op needs to run in int8 on TFLite's kernels (quantization spec,
 * notes §3): which input is a symmetric weight (and its quantized axis), which
 * is an int32 bias, and how the output's parameters are chosen — free
 * (calibrated), shared with the float inputs (the kernel copies or compares
 * values without rescaling) or fixed by the kernel.
 */
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { BuiltinOpName } from '../tflite/schema/enums.js';

export interface FixedParams {
  scale: number;
  zeroPoint: number;
}

export interface Int8Rule {
  /** Symmetric int8 weight: input index and quantized axis ('tensor' = per-tensor). */
  weight?: { input: number; axis: number | 'tensor' };
  /** int32 bias input index; its scale is scale(data input) × weight scale[c]. */
  bias?: number;
  /** The activation input the bias scale derives from (default 0). */
  dataInput?: number;
  output: 'free' | 'shared' | FixedParams;
  /**
   * The kernel needs every int8 input at the output's parameters (TFLite's int8 CONCATENATION):
   * the output is calibrated on its own and an input with other parameters is requantized
   * (QUANTIZE int8 → int8) in front of it, so producers keep their own, tighter ranges.
   */
  requantizeInputs?: boolean;
  /** A reason the node cannot run in int8, or undefined when it can. */
  check?(n: Node, g: Graph): string | undefined;
}

const FREE: Int8Rule = { output: 'free' };
const SHARED: Int8Rule = { output: 'shared' };
const fixed = (scale: number, zeroPoint: number): Int8Rule => ({ output: { scale, zeroPoint } });

const constWeight = (index: number) => (n: Node, g: Graph) => {
  const w = g.tensors.get(n.inputs[index] ?? '');
  if (!w || w.data === undefined) return `its weights (input ${index}) are not constant`;
  if (w.dtype !== 'float32') return `its weights are ${w.dtype}, not float32`;
  return undefined;
};

export const INT8_RULES: Partial<Record<BuiltinOpName, Int8Rule>> = {
  CONV_2D: { weight: { input: 1, axis: 0 }, bias: 2, output: 'free', check: constWeight(1) },
  DEPTHWISE_CONV_2D: { weight: { input: 1, axis: 3 }, bias: 2, output: 'free', check: constWeight(1) },
  FULLY_CONNECTED: { weight: { input: 1, axis: 0 }, bias: 2, output: 'free', check: constWeight(1) },
  TRANSPOSE_CONV: { weight: { input: 1, axis: 0 }, bias: 3, dataInput: 2, output: 'free', check: constWeight(1) },
  ADD: FREE,
  SUB: FREE,
  MUL: FREE,
  MEAN: FREE,
  SUM: FREE,
  RELU: FREE,
  RELU6: FREE,
  RELU_N1_TO_1: FREE,
  LEAKY_RELU: FREE,
  HARD_SWISH: FREE,
  PRELU: FREE,
  ELU: FREE,
  GELU: FREE,
  EXP: FREE,
  LOG: FREE,
  RSQRT: FREE,
  ABS: FREE,
  SQUARED_DIFFERENCE: FREE,
  BATCH_MATMUL: FREE,
  // kernels that move values without rescaling: inputs and outputs share one scale / zero point
  AVERAGE_POOL_2D: SHARED,
  MAX_POOL_2D: SHARED,
  CONCATENATION: { output: 'free', requantizeInputs: true },
  RESHAPE: SHARED,
  RESIZE_BILINEAR: SHARED,
  RESIZE_NEAREST_NEIGHBOR: SHARED,
  SPACE_TO_DEPTH: SHARED,
  DEPTH_TO_SPACE: SHARED,
  PAD: SHARED,
  PADV2: SHARED,
  MIRROR_PAD: SHARED,
  GATHER: SHARED,
  BATCH_TO_SPACE_ND: SHARED,
  SPACE_TO_BATCH_ND: SHARED,
  TRANSPOSE: SHARED,
  SQUEEZE: SHARED,
  EXPAND_DIMS: SHARED,
  SLICE: SHARED,
  STRIDED_SLICE: SHARED,
  SPLIT: SHARED,
  SPLIT_V: SHARED,
  MAXIMUM: SHARED,
  MINIMUM: SHARED,
  TILE: SHARED,
  REDUCE_MAX: SHARED,
  REDUCE_MIN: SHARED,
  PACK: SHARED,
  UNPACK: SHARED,
  // kernels with fixed output parameters
  LOGISTIC: fixed(1 / 256, -128),
  SOFTMAX: fixed(1 / 256, -128),
  TANH: fixed(1 / 128, 0),
  L2_NORMALIZATION: fixed(1 / 128, 0),
  LOG_SOFTMAX: fixed(16 / 256, 127),
};

/** Ops TFLite's reference kernels do not run in int8 (or that mai leaves float), with the reason. */
const FLOAT_ONLY: Partial<Record<BuiltinOpName, string>> = {
  DIV: 'TFLite DIV has a quantized kernel for uint8 only, not int8',
  POW: 'TFLite POW has no quantized kernel',
  SQRT: 'TFLite SQRT has no quantized kernel',
  NEG: 'int8 NEG is not verified against LiteRT by mai',
  CAST: 'CAST converts dtypes; it is not quantized',
  SELECT_V2: 'int8 SELECT_V2 is not verified against LiteRT by mai',
};

/** Why an op without a rule stays float (the message in keptFloat). */
export function noKernelReason(n: Node): string {
  if (n.op === 'CUSTOM') return `custom op '${n.attrs.customCode ?? '?'}' has no int8 kernel`;
  if (n.op === 'DEQUANTIZE' || n.op === 'QUANTIZE') return `${n.op} of a runtime tensor is left as it is`;
  return FLOAT_ONLY[n.op] ?? `no int8 rule for ${n.op} in mai's quantizer (src/quantize/int8-rules.ts)`;
}
