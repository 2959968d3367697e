/** ReduceProd / ReduceSum / ReduceMin / ReduceMax on constants (axes attribute, or input 1 from opset 18 / Sum 13). */
import { INTEGER_RANGE, type DType } from '../../../ir/dtype.js';
import { numElements } from '../../../ir/tensor.js';
import type { FoldRule } from './types.js';
import { at, axis, make, nums, strides, type Scalar } from './values.js';

type Acc = (a: Scalar, b: Scalar) => Scalar;

function reduceRule(op: string, axesInputSince: number, acc: Acc): FoldRule {
  return {
    onnxOp: op,
    fold(node, inputs) {
      const v = inputs.values[0]!;
      const r = v.shape.length;
      const fromInput = inputs.opset >= axesInputSince;
      const raw = fromInput ? (inputs.values[1] ? nums(inputs.values[1]) : undefined) : node.ints('axes');
      const keep = node.int('keepdims', 1) === 1;
      if ((!raw || raw.length === 0) && fromInput && node.int('noop_with_empty_axes', 0) === 1) return [v];
      const axes = new Set(raw && raw.length ? raw.map((a) => axis(a, r)) : v.shape.map((_, i) => i));
      const outFull = v.shape.map((d, i) => (axes.has(i) ? 1 : d));
      const n = numElements(outFull);
      const out = new Array<Scalar | undefined>(n).fill(undefined);
      const is = strides(v.shape);
      const os = strides(outFull);
      for (let i = 0; i < v.data.length; i++) {
        let rem = i;
        let o = 0;
        for (let a = 0; a < r; a++) {
          const c = Math.floor(rem / is[a]!);
          rem -= c * is[a]!;
          if (!axes.has(a)) o += c * os[a]!;
        }
        const x = at(v, i);
        out[o] = out[o] === undefined ? x : acc(out[o]!, x);
      }
      const shape = keep ? outFull : v.shape.filter((_, i) => !axes.has(i));
      // an output reduced from no elements holds the op's identity (ONNX: sum 0, prod 1, max/min the dtype's lowest/highest)
      const empty = out.includes(undefined) ? emptyIdentity(op, v.dtype) : 0;
      if (empty === undefined) return inputs.fail('unsupported-dtype', `${op} of ${v.dtype} values`);
      return [make(v.dtype, shape, out.map((x) => x ?? empty))];
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
  reduceRule('ReduceProd', 18, big((a, b) => a * b, (a, b) => a * b)),
  reduceRule('ReduceSum', 13, big((a, b) => a + b, (a, b) => a + b)),
  reduceRule('ReduceMin', 18, big((a, b) => (b < a ? b : a), (a, b) => Math.min(a, b))),
  reduceRule('ReduceMax', 18, big((a, b) => (b > a ? b : a), (a, b) => Math.max(a, b))),
];
