/**
 * Minimum op versions (what TFLite's op_version.cc would assign; notes §1.9)
 * and the runtime release each (op, version) first shipped in
 * (runtime_version.cc), used for the `min_runtime_version` metadata.
 */
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Tensor } from '../ir/tensor.js';
import type { BuiltinOpName } from './schema/enums.js';

export type VersionRule = (n: Node, g: Graph) => number;

function input(n: Node, g: Graph, i: number): Tensor | undefined {
  const name = n.inputs[i];
  return name ? g.tensors.get(name) : undefined;
}
function output(n: Node, g: Graph, i: number): Tensor | undefined {
  const name = n.outputs[i];
  return name ? g.tensors.get(name) : undefined;
}
const rank = (t: Tensor | undefined) => t?.shape.length ?? 0;
const isInt8 = (t: Tensor | undefined) => t?.dtype === 'int8';
const isFloat = (t: Tensor | undefined) => t?.dtype === 'float32';
const maxRank = (n: Node, g: Graph) => Math.max(0, ...n.inputs.map((_, i) => rank(input(n, g, i))), ...n.outputs.map((_, i) => rank(output(n, g, i))));

/** 1, or 2 when input 0 is int8: the rule of most simple ops. */
export const int8v2: VersionRule = (n, g) => (isInt8(input(n, g, 0)) ? 2 : 1);
export const always1: VersionRule = () => 1;

export const VERSION_RULES: Partial<Record<BuiltinOpName, VersionRule>> = {
  CONV_2D: (n, g) => {
    const x = input(n, g, 0);
    const w = input(n, g, 1);
    let v = 1;
    if (isInt8(x) && isInt8(w)) v = 3;
    else if (isFloat(x) && (isInt8(w) || w?.dtype === 'uint8')) v = 2; // hybrid
    // grouped convolution: filter input channels < input channels
    if (x && w && x.shape.length === 4 && w.shape.length === 4 && w.shape[3]! !== x.shape[3]!) v = Math.max(v, 6);
    return v;
  },
  DEPTHWISE_CONV_2D: (n, g) => {
    const x = input(n, g, 0);
    const w = input(n, g, 1);
    let v = 1;
    if ((n.attrs.dilationH ?? 1) !== 1 || (n.attrs.dilationW ?? 1) !== 1) v = 2;
    if (isInt8(x) && isInt8(w)) v = Math.max(v, 3);
    else if (isFloat(x) && isInt8(w)) v = Math.max(v, 4);
    return v;
  },
  FULLY_CONNECTED: (n, g) => {
    const x = input(n, g, 0);
    const w = input(n, g, 1);
    let v = 1;
    if (isInt8(x) && isInt8(w)) v = 4;
    else if (isFloat(x) && isInt8(w)) v = 3;
    if (n.attrs.weightsFormat === 'SHUFFLED4x16INT8') v = Math.max(v, 2);
    if (n.attrs.keepNumDims) v = Math.max(v, 5);
    if (n.inputs.length === 2) v = Math.max(v, 6);
    return v;
  },
  ADD: (n, g) => {
    if (n.inputs.some((_, i) => input(n, g, i)?.dtype === 'float16')) return 6;
    const x = input(n, g, 0);
    if (x?.dtype === 'int16') return 3;
    return isInt8(x) ? 2 : 1;
  },
  SUB: (n, g) => (maxRank(n, g) > 4 ? 3 : int8v2(n, g)),
  MUL: (n, g) => {
    const a = input(n, g, 0);
    const b = input(n, g, 1);
    const o = output(n, g, 0);
    const s = (t: Tensor | undefined) => t?.quant?.scale[0];
    const sa = s(a);
    const sb = s(b);
    const so = s(o);
    if (isInt8(a) && sa !== undefined && sb !== undefined && so !== undefined && (sa * sb) / so >= 1) return 3;
    return int8v2(n, g);
  },
  DIV: (n, g) => (maxRank(n, g) > 4 ? 2 : 1),
  AVERAGE_POOL_2D: int8v2,
  MAX_POOL_2D: int8v2,
  CONCATENATION: int8v2,
  SOFTMAX: int8v2,
  LOGISTIC: int8v2,
  TANH: int8v2,
  RELU: int8v2,
  RELU6: int8v2,
  RELU_N1_TO_1: always1,
  MEAN: int8v2,
  SUM: int8v2,
  REDUCE_MAX: int8v2,
  MIRROR_PAD: int8v2,
  RSQRT: int8v2,
  LEAKY_RELU: (n, g) => (input(n, g, 0)?.dtype === 'int16' ? 2 : 1),
  RESIZE_BILINEAR: (n, g) => (n.attrs.halfPixelCenters ? 3 : int8v2(n, g)),
  RESIZE_NEAREST_NEIGHBOR: (n, g) => (n.attrs.halfPixelCenters || n.attrs.alignCorners ? 3 : int8v2(n, g)),
  PAD: (n, g) => (rank(input(n, g, 0)) > 4 ? 4 : int8v2(n, g)),
  PADV2: (n, g) => (rank(input(n, g, 0)) > 4 ? 4 : int8v2(n, g)),
  TRANSPOSE: (n, g) => (rank(input(n, g, 0)) > 4 ? 4 : int8v2(n, g)),
  STRIDED_SLICE: (n, g) => {
    if (n.attrs.offset) return 8;
    if (n.attrs.ellipsisMask || n.attrs.newAxisMask) return 6;
    if (rank(input(n, g, 0)) > 4) return 4;
    return int8v2(n, g);
  },
  SLICE: (n, g) => (rank(input(n, g, 0)) > 4 ? 5 : int8v2(n, g)),
  // SPLIT's data input is input 1 (input 0 is the axis).
  SPLIT: (n, g) => (isInt8(input(n, g, 1)) ? 2 : 1),
  SPACE_TO_DEPTH: int8v2,
  DEPTH_TO_SPACE: int8v2,
  TRANSPOSE_CONV: (n, g) => {
    let v = 1;
    if (isInt8(input(n, g, 1))) v = 2;
    if (n.inputs.length > 3 && n.inputs[3]) v = 3;
    if ((n.attrs.activation ?? 'NONE') !== 'NONE') v = 4;
    return v;
  },
  QUANTIZE: (n, g) => ((output(n, g, 0)?.quant?.scale.length ?? 0) > 1 ? 3 : 1),
  DEQUANTIZE: (n, g) => {
    const x = input(n, g, 0);
    if (isInt8(x) && (x?.quant?.scale.length ?? 0) > 1) return 5;
    if (x?.dtype === 'float16' || x?.dtype === 'int16') return 3;
    return isInt8(x) ? 2 : 1;
  },
  BATCH_MATMUL: int8v2,
  GELU: int8v2,
  MINIMUM: int8v2,
  MAXIMUM: int8v2,
  GATHER: int8v2,
  ARG_MAX: int8v2,
  EQUAL: int8v2,
  LESS: int8v2,
  GREATER: int8v2,
  SQUARED_DIFFERENCE: int8v2,
  ABS: int8v2,
  TILE: int8v2,
};

/** First runtime release per op version (index = version − 1). */
export const RUNTIME_VERSIONS: Partial<Record<BuiltinOpName, string[]>> = {
  AVERAGE_POOL_2D: ['1.5.0', '1.14.0', '2.3.0'],
  BATCH_MATMUL: ['2.3.0', '2.3.0', '2.4.0', '2.5.0'],
  CONV_2D: ['1.5.0', '1.14.0', '1.14.0', '2.3.0', '2.4.0', '2.9.0'],
  DEPTHWISE_CONV_2D: ['1.5.0', '1.12.0', '1.14.0', '2.2.0', '2.3.0', '2.3.0'],
  ADD: ['1.5.0', '1.14.0', '2.4.0', '2.6.0'],
  SUB: ['1.6.0', '1.14.0', '2.3.0', '2.4.0', '2.4.0'],
  DIV: ['1.6.0', '2.3.0'],
  CAST: ['1.5.0', '2.7.0', '2.8.0', '2.9.0'],
  CONCATENATION: ['1.5.0', '1.14.0', '2.3.0'],
  DEPTH_TO_SPACE: ['2.1.0', '2.5.0'],
  FULLY_CONNECTED: ['1.5.0', '1.10.0', '1.14.0', '1.14.0', '2.0.0', '2.1.0', '2.3.0', '2.3.0', '2.3.0'],
  GATHER: ['1.6.0', '1.14.0', '1.15.0', '2.4.0', '2.5.0'],
  MAX_POOL_2D: ['1.5.0', '1.14.0', '2.3.0'],
  MAXIMUM: ['1.14.0', '1.14.0', '2.3.0', '2.3.0'],
  MINIMUM: ['1.14.0', '1.14.0', '2.3.0', '2.3.0'],
  MUL: ['1.5.0', '1.14.0', '1.15.0', '2.3.0', '2.6.0'],
  PAD: ['1.5.0', '1.14.0', '2.4.0', '2.6.0'],
  TILE: ['1.10.1', '2.2.0', '2.8.0'],
  PADV2: ['1.9.0', '1.14.0', '2.4.0', '2.6.0'],
  RESHAPE: ['1.5.0'],
  SOFTMAX: ['1.5.0', '1.14.0', '2.3.0'],
  SPACE_TO_DEPTH: ['1.5.0', '1.14.0'],
  TRANSPOSE: ['1.6.0', '1.14.0', '1.15.0', '2.3.0', '2.4.0'],
  MEAN: ['1.6.0', '1.14.0', '2.4.0'],
  SUM: ['1.10.0', '1.15.0'],
  REDUCE_MAX: ['1.11.0', '1.14.0', '2.5.0'],
  RELU6: ['1.5.0', '1.14.0', '2.5.0'],
  RESIZE_BILINEAR: ['1.7.0', '1.14.0', '2.2.0', '2.5.0'],
  RESIZE_NEAREST_NEIGHBOR: ['1.13.1', '1.14.0', '2.3.0', '2.4.0'],
  SQUEEZE: ['1.6.0', '2.5.0'],
  SPLIT: ['1.5.0', '1.14.0', '1.14.0', '2.3.0'],
  STRIDED_SLICE: ['1.6.0', '1.14.0', '2.1.0', '2.2.0', '2.5.0', '2.6.0'],
  ARG_MAX: ['1.9.0', '1.14.0', '2.9.0'],
  TRANSPOSE_CONV: ['1.9.0', '2.2.0', '2.3.0'],
  EXPAND_DIMS: ['1.10.0'],
  SLICE: ['1.14.0', '1.14.0', '1.14.0', '2.4.0', '2.5.0'],
  TANH: ['1.14.0', '1.14.0', '2.3.0'],
  LEAKY_RELU: ['1.13.1', '2.3.0'],
  LOGISTIC: ['1.14.0', '1.14.0', '2.3.0'],
  SQUARED_DIFFERENCE: ['1.13.1', '2.5.0'],
  MIRROR_PAD: ['1.13.1', '2.3.0'],
  DEQUANTIZE: ['1.13.1', '1.14.0', '1.15.0', '2.2.0', '2.7.0'],
  EQUAL: ['1.14.0', '1.14.0', '2.3.0'],
  GREATER: ['1.14.0', '1.14.0'],
  LESS: ['1.14.0', '1.14.0'],
  SELECT_V2: ['2.2.0'],
  ELU: ['1.14.0'],
  QUANTIZE: ['1.14.0', '1.15.0', '2.7.0'],
  RELU: ['1.5.0', '2.1.0', '2.5.0'],
  RELU_N1_TO_1: ['1.5.0'],
  PRELU: ['1.8.0'],
  EXP: ['1.7.0'],
  NEG: ['1.9.0'],
  POW: ['1.10.0'],
  LOG: ['1.14.0'],
  SQRT: ['1.10.0'],
  RSQRT: ['1.10.0', '2.5.0'],
  ABS: ['1.13.0', '2.4.0', '2.5.0', '2.6.0'],
  HARD_SWISH: ['1.15.0'],
  GELU: ['2.9.0', '2.9.0'],
};

/** a < b for dotted runtime versions. */
export function runtimeVersionLess(a: string, b: string): boolean {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}

/** Highest runtime release needed by a set of (op, version) pairs; '' when none is known. */
export function minRuntimeVersion(ops: Iterable<{ op: BuiltinOpName; version: number }>): string {
  let best = '';
  for (const { op, version } of ops) {
    const v = RUNTIME_VERSIONS[op]?.[version - 1];
    if (v && (best === '' || runtimeVersionLess(best, v))) best = v;
  }
  return best;
}
