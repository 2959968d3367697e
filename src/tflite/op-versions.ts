/**
 * Minimum op versions: what TFLite's op_version.cc GetBuiltinOperatorVersion
 * assigns (first matching condition wins; notes §1.9)
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

const dtypeOf = (t: Tensor | undefined) => t?.dtype;
const perChannel = (t: Tensor | undefined) => (t?.quant?.scale.length ?? 0) > 1;
/** Operands of a binary op differ in shape and one has rank > 4 (NeedBroadcastForBinaryInputs && max dims > 4). */
const broadcastAbove4 = (n: Node, g: Graph) => {
  const a = input(n, g, 0);
  const b = input(n, g, 1);
  if (!a || !b) return false;
  const differ = a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i]);
  return differ && Math.max(a.shape.length, b.shape.length) > 4;
};
/** float input, int8 weights, float output: a hybrid kernel. */
const hybrid = (n: Node, g: Graph, w = 1) => isFloat(input(n, g, 0)) && isInt8(input(n, g, w)) && isFloat(output(n, g, 0));
const allInt8 = (n: Node, g: Graph, w = 1) => isInt8(input(n, g, 0)) && isInt8(input(n, g, w)) && isInt8(output(n, g, 0));

/**
 * A rule from ordered (condition → version) checks: the first match wins, as in
 * op_version.cc's GetBuiltinOperatorVersion.
 */
function rule(...checks: Array<[(n: Node, g: Graph) => boolean, number]>): VersionRule {
  return (n, g) => {
    for (const [when, v] of checks) if (when(n, g)) return v;
    return 1;
  };
}
const in0 = (dtype: string) => (n: Node, g: Graph) => dtypeOf(input(n, g, 0)) === dtype;
const in0Any = (...dtypes: string[]) => (n: Node, g: Graph) => dtypes.includes(dtypeOf(input(n, g, 0)) ?? '');

/** 1, or 2 when input 0 is int8 (and 3 for int16 where the op has an int16 kernel). */
export const int8v2: VersionRule = rule([in0('int8'), 2]);
const int16v3int8v2 = rule([in0('int16'), 3], [in0('int8'), 2]);
export const always1: VersionRule = () => 1;

export const VERSION_RULES: Partial<Record<BuiltinOpName, VersionRule>> = {
  CONV_2D: rule(
    [(n, g) => { const x = input(n, g, 0); const w = input(n, g, 1); return !!x && !!w && x.shape.length === 4 && w.shape.length === 4 && w.shape[3] !== x.shape[3]; }, 6], // grouped
    [(n, g) => in0('int16')(n, g) && dtypeOf(input(n, g, 1)) === 'int16', 4],
    [allInt8, 3],
    [(n, g) => hybrid(n, g) && perChannel(input(n, g, 1)), 5],
    [hybrid, 2],
  ),
  DEPTHWISE_CONV_2D: rule(
    [(n, g) => in0('int16')(n, g) && dtypeOf(input(n, g, 1)) === 'int16', 5],
    [(n, g) => hybrid(n, g) && perChannel(input(n, g, 1)), 6],
    [hybrid, 4],
    [allInt8, 3],
    [(n) => (n.attrs.dilationH ?? 1) !== 1 || (n.attrs.dilationW ?? 1) !== 1, 2],
  ),
  FULLY_CONNECTED: rule(
    [(n, g) => hybrid(n, g) && perChannel(input(n, g, 1)), 12],
    [(n, g) => in0('int16')(n, g) && isInt8(input(n, g, 1)) && dtypeOf(output(n, g, 0)) === 'int16' && n.attrs.quantizedBiasType !== undefined, 11],
    [(n, g) => in0('int16')(n, g) && dtypeOf(input(n, g, 1)) === 'int16', 7],
    [(n) => n.inputs.length === 2, 6],
    [(n) => n.attrs.keepNumDims === true, 5],
    [allInt8, 4],
    [(n, g) => hybrid(n, g) && n.attrs.asymmetricQuantizeInputs === true, 9],
    [hybrid, 3],
    [(n) => n.attrs.weightsFormat === 'SHUFFLED4x16INT8', 2],
  ),
  // fp16 → 6 is from the notes (§1.9, current LiteRT); the rest from op_version.cc.
  ADD: rule(
    [(n, g) => n.inputs.some((_, i) => dtypeOf(input(n, g, i)) === 'float16'), 6],
    [(n, g) => in0('int16')(n, g) && !input(n, g, 0)?.quant, 5],
    [in0('int64'), 4],
    [(n, g) => in0('int16')(n, g) && n.attrs.potScaleInt16 === false, 3],
    [in0('int8'), 2],
  ),
  SUB: rule(
    [(n, g) => in0('int16')(n, g) && n.attrs.potScaleInt16 === false, 5],
    [in0('int64'), 4],
    [broadcastAbove4, 3],
    [in0('int8'), 2],
  ),
  MUL: rule(
    [(n, g) => (in0('int16')(n, g) && !input(n, g, 0)?.quant) || in0('uint32')(n, g), 7],
    [in0('int64'), 5],
    [in0('int16'), 4],
    [(n, g) => {
      const s = (t: Tensor | undefined) => t?.quant?.scale[0] ?? 0;
      const a = s(input(n, g, 0));
      const b = s(input(n, g, 1));
      const o = s(output(n, g, 0));
      return a !== 0 && b !== 0 && o !== 0 && (a * b) / o >= 1;
    }, 3],
    [in0('int8'), 2],
  ),
  DIV: rule([broadcastAbove4, 2]),
  AVERAGE_POOL_2D: int16v3int8v2,
  MAX_POOL_2D: int16v3int8v2,
  CONCATENATION: rule([in0('uint32'), 4], [in0('int16'), 3], [in0('int8'), 2]),
  SOFTMAX: int16v3int8v2,
  MEAN: int16v3int8v2,
  MIRROR_PAD: int16v3int8v2,
  REDUCE_MAX: int16v3int8v2,
  RELU6: int16v3int8v2,
  RSQRT: int16v3int8v2,
  LOGISTIC: int16v3int8v2,
  TANH: int16v3int8v2,
  RELU: rule([in0('int16'), 3], [in0Any('int8', 'uint8'), 2]),
  RELU_N1_TO_1: always1,
  SUM: int8v2,
  LEAKY_RELU: rule([in0('int16'), 2]),
  RESIZE_BILINEAR: rule([in0('int16'), 4], [(n) => n.attrs.halfPixelCenters === true, 3], [in0('int8'), 2]),
  RESIZE_NEAREST_NEIGHBOR: rule([in0('int16'), 4], [(n) => n.attrs.halfPixelCenters === true || n.attrs.alignCorners === true, 3], [in0('int8'), 2]),
  PAD: rule([(n, g) => rank(input(n, g, 0)) > 4, 4], [in0('int16'), 3], [in0('int8'), 2]),
  PADV2: rule([(n, g) => rank(input(n, g, 0)) > 4, 4], [in0('int16'), 3], [in0('int8'), 2]),
  TRANSPOSE: rule([(n, g) => rank(input(n, g, 0)) > 5, 6], [in0('int16'), 5], [(n, g) => rank(input(n, g, 0)) > 4, 4], [in0('bool'), 3], [in0('int8'), 2]),
  STRIDED_SLICE: rule(
    [(n) => n.attrs.offset === true, 8],
    [in0('uint32'), 7],
    [(n) => !!n.attrs.ellipsisMask || !!n.attrs.newAxisMask, 6],
    [in0('string'), 5],
    [(n, g) => rank(input(n, g, 0)) > 4, 4],
    [in0('bool'), 3],
    [in0('int8'), 2],
  ),
  SLICE: rule([in0('uint32'), 6], [(n, g) => rank(input(n, g, 0)) > 4, 5], [in0('int16'), 4], [in0('string'), 3], [in0('int8'), 2]),
  // SPLIT's data input is input 1 (input 0 is the axis).
  SPLIT: rule([(n, g) => dtypeOf(input(n, g, 1)) === 'int16', 4], [(n, g) => dtypeOf(input(n, g, 1)) === 'int32', 3], [(n, g) => isInt8(input(n, g, 1)), 2]),
  SPACE_TO_DEPTH: int8v2,
  DEPTH_TO_SPACE: int8v2,
  // version 1 was the pre-builtin custom op: the builtin starts at 2 (LiteRT refuses a version-1 BROADCAST_TO)
  BROADCAST_TO: (n, g) => (dtypeOf(input(n, g, 0)) === 'int16' ? 3 : 2),
  TRANSPOSE_CONV: rule(
    [(n, g) => dtypeOf(input(n, g, 0)) === 'int16' && isInt8(input(n, g, 1)) && n.attrs.quantizedBiasType !== undefined, 5],
    [(n) => (n.attrs.activation ?? 'NONE') !== 'NONE', 4],
    [(n) => n.inputs.length === 4 && n.inputs[3] !== '', 3],
    [(n, g) => isInt8(input(n, g, 1)), 2],
  ),
  QUANTIZE: rule([(n, g) => perChannel(output(n, g, 0)), 3], [(n, g) => dtypeOf(output(n, g, 0)) === 'int16', 2]),
  DEQUANTIZE: rule([in0Any('int16', 'float16'), 3], [(n, g) => isInt8(input(n, g, 0)) && perChannel(input(n, g, 0)), 5], [in0('int8'), 2]),
  BATCH_MATMUL: rule([in0('int16'), 3], [in0('int8'), 2], [(n, g) => hybrid(n, g) && n.attrs.asymmetricQuantizeInputs === true, 4]),
  GELU: rule([in0Any('int8', 'uint8'), 2]),
  MINIMUM: rule([(n, g) => in0('int16')(n, g) && dtypeOf(output(n, g, 0)) === 'int16', 4], [broadcastAbove4, 3], [in0('int8'), 2]),
  MAXIMUM: rule([(n, g) => in0('int16')(n, g) && dtypeOf(output(n, g, 0)) === 'int16', 4], [broadcastAbove4, 3], [in0('int8'), 2]),
  GATHER: rule(
    [(n, g) => dtypeOf(input(n, g, 1)) === 'int16', 6],
    [(n) => (n.attrs.batchDims ?? 0) !== 0, 5],
    [in0('int16'), 4],
    [in0('bool'), 3],
    [in0('int8'), 2],
  ),
  // FILL's value is input 1 (input 0 holds the dims)
  FILL: rule(
    [(n, g) => dtypeOf(input(n, g, 1)) === 'float16', 4],
    [(n, g) => ['int8', 'int16'].includes(dtypeOf(input(n, g, 1)) ?? ''), 3],
    [(n, g) => ['bool', 'string'].includes(dtypeOf(input(n, g, 1)) ?? ''), 2],
  ),
  RANGE: rule([in0('int64'), 2]),
  ARG_MAX: rule([in0('bool'), 3], [in0('int8'), 2]),
  ARG_MIN: rule([in0('bool'), 3], [in0('int8'), 2]),
  EQUAL: rule([in0('int16'), 4], [in0('string'), 3], [in0('int8'), 2]),
  LESS: rule([in0('int16'), 3], [in0('int8'), 2]),
  GREATER: int8v2,
  SQUARED_DIFFERENCE: int8v2,
  // op_version.cc: FLOOR_DIV float32 is version 2, int16 version 3
  FLOOR_DIV: rule([in0('int16'), 3], [in0('float32'), 2]),
  ABS: rule([in0('int32'), 5], [(n, g) => in0('int16')(n, g) && !!input(n, g, 0)?.quant, 3], [in0('int16'), 4], [in0Any('int8', 'uint8'), 2]),
  TILE: rule([in0('int8'), 3], [in0('string'), 2]),
  SQUEEZE: rule([in0('string'), 2]),
  EXP: rule([in0Any('int8', 'int16'), 2]),
  LOG: rule([in0Any('int8', 'int16'), 2]),
  SELECT_V2: rule([in0('uint32'), 2]),
  CAST: rule(
    [(n, g) => [dtypeOf(input(n, g, 0)), dtypeOf(output(n, g, 0))].some((d) => d === 'float64' || d === 'float16'), 5],
    [(n, g) => [dtypeOf(input(n, g, 0)), dtypeOf(output(n, g, 0))].includes('uint16'), 4],
    [(n, g) => [dtypeOf(input(n, g, 0)), dtypeOf(output(n, g, 0))].includes('int8'), 3],
    [(n, g) => [dtypeOf(input(n, g, 0)), dtypeOf(output(n, g, 0))].includes('uint32'), 2],
  ),
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
  ARG_MIN: ['1.9.0', '1.14.0', '2.9.0'],
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
