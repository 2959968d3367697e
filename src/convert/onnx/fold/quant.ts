/**
 * QuantizeLinear / DequantizeLinear on constants. A dequantized weight keeps the quantization it was
 * stored with (`Value.quant`, TFLite semantics real = scale·(q − zeroPoint)), so a later `mai
 * quantize` can reuse it; the float value itself is exactly what onnxruntime computes.
 */
import { integerRanges, type DType } from '../../../ir/dtype.js';
import { blockLayout, quantizedType } from '../lowering/quant-granularity.js';
import type { FoldInputs, FoldRule } from './types.js';
import { axis as normAxis, make, num, nums, type Scalar, type Value } from './values.js';

const RANGE = integerRanges(['int8', 'uint8', 'int16', 'uint16', 'int32']);

interface Params {
  scale: number[];
  zp: number[];
  /** Index of the parameter for flat element i. */
  which: (i: number) => number;
  axis?: number;
  /** Blocked: no per-tensor / per-axis parameters describe it. */
  blocked?: boolean;
}

function params(node: Parameters<FoldRule['fold']>[0], inputs: FoldInputs, x: Value): Params {
  const s = inputs.values[1]!;
  const z = inputs.values[2];
  const scale = nums(s);
  const zp = z ? nums(z) : new Array<number>(scale.length).fill(0);
  if (s.shape.length === 0 || scale.length === 1) return { scale, zp, which: () => 0 };
  if (s.shape.length !== 1) return blocked(node, inputs, x, s.shape, scale, zp);
  const a = normAxis(node.int('axis', 1), x.shape.length);
  const d = x.shape[a]!;
  if (scale.length !== d) inputs.fail('shape-mismatch', `${node.opType}: ${scale.length} scales for axis ${a} of size ${d}`);
  const inner = x.shape.slice(a + 1).reduce((p, q) => p * q, 1);
  return { scale, zp, which: (i) => Math.floor(i / inner) % d, axis: a };
}

/** Blocked quantization (opset 21, lowering/quant-granularity.ts): no TFLite quantization parameters hold it, so the value keeps none. */
function blocked(node: Parameters<FoldRule['fold']>[0], inputs: FoldInputs, x: Value, sShape: readonly number[], scale: number[], zp: number[]): Params {
  const block = node.int('block_size', 0);
  if (block <= 0) inputs.fail('unsupported-attribute', `${node.opType} '${node.name}': a rank-${sShape.length} scale needs block_size > 0 (blocked quantization)`);
  const layout = blockLayout(`${node.opType} '${node.name}'`, x.shape, sShape, node.int('axis', 1), block);
  if ('error' in layout) return inputs.fail(layout.reason, layout.error);
  return { scale, zp, which: layout.index, blocked: true };
}

/** Round half to even, as ONNX QuantizeLinear specifies. */
function roundEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export const QUANT_FOLDS: FoldRule[] = [
  {
    onnxOp: 'DequantizeLinear',
    fold(node, inputs) {
      const x = inputs.values[0]!;
      if (!RANGE[x.dtype]) return undefined; // float8 / int4: the importer reports it
      const p = params(node, inputs, x);
      // written straight into a Float32Array: dequantized weights can be millions of elements
      const f = new Float32Array(x.data.length);
      const s32 = p.scale.map(Math.fround);
      const src = x.data as ArrayLike<number>;
      for (let i = 0; i < f.length; i++) {
        const k = p.which(i);
        f[i] = Math.fround(src[i]! - p.zp[k]!) * s32[k]!;
      }
      const v: Value = inputs.values[1]!.dtype === 'float16' ? make('float16', x.shape, f) : { dtype: 'float32', shape: [...x.shape], data: f };
      if (x.dtype !== 'int32' && !p.blocked) v.quant = { scale: p.scale, zeroPoint: p.zp, ...(p.axis !== undefined ? { axis: p.axis } : {}) };
      return [v];
    },
  },
  {
    onnxOp: 'QuantizeLinear',
    fold(node, inputs) {
      const x = inputs.values[0]!;
      const z = inputs.values[2];
      const to = quantizedType(z?.dtype, node.int('output_dtype', 0));
      const range = to && RANGE[to];
      if (!range) return undefined;
      const p = params(node, inputs, x);
      const out = new Array<Scalar>(x.data.length);
      for (let i = 0; i < out.length; i++) {
        const k = p.which(i);
        const q = roundEven(Math.fround(num(x, i) / Math.fround(p.scale[k]!))) + p.zp[k]!;
        out[i] = Math.min(Math.max(q, range[0]), range[1]);
      }
      return [make(to!, x.shape, out)];
    },
  },
];
