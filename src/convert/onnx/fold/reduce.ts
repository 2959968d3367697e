/**
 * ReduceProd / ReduceSum / ReduceMin / ReduceMax and ReduceL1 / L2 / SumSquare / LogSum / LogSumExp on
 * constants (axes from where the op-table row reads them: the attribute or input 1).
 */
import { INTEGER_RANGE, type DType } from '../../../ir/dtype.js';
import { numElements } from '../../../ir/tensor.js';
import type { FoldRule } from './types.js';
import { at, axis, isFloatType, make, num, type Scalar, type Value } from './values.js';
import { strides } from '../../../ir/ndarray.js';

type Acc = (a: Scalar, b: Scalar) => Scalar;

/** Axes to reduce (empty with noop_with_empty_axes: each element alone) and the kept-dims output shape. */
function foldAxes(node: Parameters<FoldRule['fold']>[0], inputs: Parameters<FoldRule['fold']>[1], v: Value) {
  const r = v.shape.length;
  const raw = inputs.axes();
  const noop = (!raw || raw.length === 0) && node.int('noop_with_empty_axes', 0) === 1;
  const axes = new Set(noop ? [] : raw && raw.length ? raw.map((a) => axis(a, r)) : v.shape.map((_, i) => i));
  const outFull = v.shape.map((d, i) => (axes.has(i) ? 1 : d));
  const keep = node.int('keepdims', 1) === 1;
  return { noop, outFull, shape: keep ? outFull : v.shape.filter((_, i) => !axes.has(i)) };
}

/** For each element of `v`, the index of the output element it is reduced into. */
function outIndex(v: Value, outFull: number[]): Int32Array {
  const r = v.shape.length;
  const is = strides(v.shape);
  const os = strides(outFull);
  const idx = new Int32Array(v.data.length);
  for (let i = 0; i < v.data.length; i++) {
    let rem = i;
    let o = 0;
    for (let a = 0; a < r; a++) {
      const c = Math.floor(rem / is[a]!);
      rem -= c * is[a]!;
      if (outFull[a] !== 1) o += c * os[a]!;
    }
    idx[i] = o;
  }
  return idx;
}

function reduceRule(op: string, acc: Acc): FoldRule {
  return {
    onnxOp: op,
    fold(node, inputs) {
      const v = inputs.values[0]!;
      const { noop, outFull, shape } = foldAxes(node, inputs, v);
      if (noop) return [v];
      const out = new Array<Scalar | undefined>(numElements(outFull)).fill(undefined);
      const idx = outIndex(v, outFull);
      for (let i = 0; i < v.data.length; i++) {
        const o = idx[i]!;
        const x = at(v, i);
        out[o] = out[o] === undefined ? x : acc(out[o]!, x);
      }
      // an output reduced from no elements holds the op's identity (ONNX: sum 0, prod 1, max/min the dtype's lowest/highest)
      const empty = out.includes(undefined) ? emptyIdentity(op, v.dtype) : 0;
      if (empty === undefined) return inputs.fail('unsupported-dtype', `${op} of ${v.dtype} values`);
      return [make(v.dtype, shape, out.map((x) => x ?? empty))];
    },
  };
}

/**
 * ReduceL1 / L2 / SumSquare / LogSum / LogSumExp of float constants (as ops/reduce-composite.ts lowers
 * them, and as onnxruntime computes them): a sum of `pre(x)` finished by `post`; LogSumExp shifted by
 * the group's maximum (0 when that is infinite). No elements: sum 0, so L1 / L2 / SumSquare 0 and the
 * logs −inf. Integer inputs are refused, as by the importer.
 */
function compositeRule(op: string, pre: (x: number) => number, post: (s: number) => number): FoldRule {
  return {
    onnxOp: op,
    fold(node, inputs) {
      const v = inputs.values[0]!;
      if (!isFloatType(v.dtype)) return inputs.fail('unsupported-dtype', `${op} of ${v.dtype} values: only float inputs are supported`);
      const { outFull, shape } = foldAxes(node, inputs, v);
      const n = numElements(outFull);
      const idx = outIndex(v, outFull);
      const shift = new Float64Array(n);
      if (op === 'ReduceLogSumExp') {
        shift.fill(-Infinity);
        for (let i = 0; i < v.data.length; i++) shift[idx[i]!] = Math.max(shift[idx[i]!]!, num(v, i));
        for (let o = 0; o < n; o++) if (!Number.isFinite(shift[o]!)) shift[o] = 0;
      }
      const sums = new Float64Array(n);
      for (let i = 0; i < v.data.length; i++) sums[idx[i]!] += pre(num(v, i) - shift[idx[i]!]!);
      return [make(v.dtype, shape, Array.from(sums, (s, o) => post(s) + shift[o]!))];
    },
  };
}

/** Lowest / highest value of each dtype: ±Infinity for floats (ONNX's empty-set ReduceMax / ReduceMin). */
const RANGE: Partial<Record<DType, readonly [Scalar, Scalar]>> = {
  float32: [-Infinity, Infinity],
  float16: [-Infinity, Infinity],
  float64: [-Infinity, Infinity],
  ...INTEGER_RANGE,
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  bool: [0, 1],
};

function emptyIdentity(op: string, dtype: DType): Scalar | undefined {
  if (op === 'ReduceProd') return 1;
  if (op === 'ReduceSum') return 0;
  const range = RANGE[dtype];
  return range && (op === 'ReduceMax' ? range[0] : range[1]);
}

const big = (f: (a: bigint, b: bigint) => bigint, g: (a: number, b: number) => number): Acc => (a, b) =>
  typeof a === 'bigint' ? f(a, b as bigint) : g(a, b as number);

export const REDUCE_FOLDS: FoldRule[] = [
  reduceRule('ReduceProd', big((a, b) => a * b, (a, b) => a * b)),
  reduceRule('ReduceSum', big((a, b) => a + b, (a, b) => a + b)),
  reduceRule('ReduceMin', big((a, b) => (b < a ? b : a), (a, b) => Math.min(a, b))),
  reduceRule('ReduceMax', big((a, b) => (b > a ? b : a), (a, b) => Math.max(a, b))),
  compositeRule('ReduceL1', Math.abs, (s) => s),
  compositeRule('ReduceL2', (x) => x * x, Math.sqrt),
  compositeRule('ReduceSumSquare', (x) => x * x, (s) => s),
  compositeRule('ReduceLogSum', (x) => x, Math.log),
  compositeRule('ReduceLogSumExp', Math.exp, Math.log),
];
