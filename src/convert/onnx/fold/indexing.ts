/**
 * Indexing ops on constants: Trilu, GatherND, GatherElements, ScatterND and ScatterElements / Scatter
 * (every reduction). swin_t's
 * exports build their attention masks and relative-position tables this way, from constants only.
 */
import { numElements } from '../../../ir/tensor.js';
import { elementRows, ndRows } from '../lowering/index-rows.js';
import type { FoldInputs, FoldRule } from './types.js';
import { at, axis, make, nums, type Value } from './values.js';

/** Trilu's keep-mask over x's last two axes: keep (i, j) when j − i ≥ k (upper) or ≤ k (lower). */
export function triluKeeps(shape: readonly number[], k: number, upper: boolean): (flat: number) => boolean {
  const rows = shape.at(-2) ?? 1;
  const cols = shape.at(-1) ?? 1;
  return (flat) => {
    const j = flat % cols;
    const i = Math.floor(flat / cols) % rows;
    return upper ? j - i >= k : j - i <= k;
  };
}

/** Elements of `v` picked by flat `rows` of its [rows, inner] view, into a new value of `shape`. */
function pickRows(v: Value, rows: readonly number[], inner: number, shape: number[]): Value {
  const data = new (v.data.constructor as new (n: number) => Value['data'])(rows.length * inner);
  rows.forEach((r, t) => {
    for (let e = 0; e < inner; e++) (data as unknown as unknown[])[t * inner + e] = v.data[r * inner + e];
  });
  return { dtype: v.dtype, shape, data };
}

type Combine = (a: number | bigint, b: number | bigint) => number | bigint;
const REDUCTIONS: Record<string, Combine | undefined> = {
  none: (_a, b) => b,
  add: (a, b) => (typeof a === 'bigint' ? a + (b as bigint) : a + (b as number)),
  mul: (a, b) => (typeof a === 'bigint' ? a * (b as bigint) : a * (b as number)),
  max: (a, b) => (a >= b ? a : b),
  min: (a, b) => (a <= b ? a : b),
};

/** ScatterND's / ScatterElements' reduction (opset 16+), or the failure naming it. */
export function scatterReduction(reduction: string, fail: FoldInputs['fail'], opType = 'ScatterND'): Combine {
  const f = REDUCTIONS[reduction];
  if (!f) fail('unsupported-attribute', `${opType} reduction '${reduction}' is not one of none, add, mul, max, min`);
  return f;
}

/** `data` with the [·, inner] rows of `updates` combined into its rows `rows`, in order. */
function scatterInto(data: Value, updates: Value, rows: readonly number[], inner: number, combine: Combine): Value {
  // element values (float16 decoded, int64 as bigint), re-encoded by make
  const out = Array.from({ length: data.data.length }, (_, i) => at(data, i));
  rows.forEach((r, t) => {
    for (let e = 0; e < inner; e++) out[r * inner + e] = combine(out[r * inner + e]!, at(updates, t * inner + e));
  });
  return make(data.dtype, data.shape, out);
}

/** ScatterElements (opset 11+) and Scatter (opset 9–10, no reduction) on constants. */
function scatterElementsFold(onnxOp: string): FoldRule {
  return {
    onnxOp,
    fold(node, inputs) {
      const [data, indices, updates] = inputs.values as [Value, Value, Value];
      const combine = scatterReduction(node.string('reduction', 'none')!, inputs.fail, onnxOp);
      if (updates.shape.join() !== indices.shape.join()) inputs.fail('invalid-model', `${onnxOp} updates [${updates.shape}] and indices [${indices.shape}] must have the same shape`);
      const rows = elementRows(data.shape, indices.shape, nums(indices), axis(node.int('axis', 0)!, data.shape.length), (m) => inputs.fail('invalid-model', m));
      return [scatterInto(data, updates, rows, 1, combine)];
    },
  };
}

export const INDEXING_FOLDS: FoldRule[] = [
  {
    onnxOp: 'Trilu',
    fold(node, inputs) {
      const x = inputs.values[0]!;
      if (x.shape.length < 2) inputs.fail('invalid-model', `Trilu input [${x.shape}] has rank < 2`);
      const k = inputs.values[1] ? nums(inputs.values[1])[0]! : 0;
      const keep = triluKeeps(x.shape, k, node.int('upper', 1) === 1);
      const data = new (x.data.constructor as new (n: number) => Value['data'])(x.data.length);
      for (let i = 0; i < x.data.length; i++) if (keep(i)) (data as unknown as unknown[])[i] = x.data[i];
      return [{ dtype: x.dtype, shape: [...x.shape], data }];
    },
  },
  {
    onnxOp: 'GatherND',
    fold(node, inputs) {
      const [data, indices] = inputs.values as [Value, Value];
      const b = node.int('batch_dims', 0)!;
      const { rows, inner } = ndRows(data.shape, indices.shape, nums(indices), b, (m) => inputs.fail('invalid-model', m));
      const m = indices.shape.at(-1)!;
      return [pickRows(data, rows, inner, [...indices.shape.slice(0, -1), ...data.shape.slice(b + m)])];
    },
  },
  {
    onnxOp: 'GatherElements',
    fold(node, inputs) {
      const [data, indices] = inputs.values as [Value, Value];
      const a = axis(node.int('axis', 0)!, data.shape.length);
      return [pickRows(data, elementRows(data.shape, indices.shape, nums(indices), a, (m) => inputs.fail('invalid-model', m)), 1, [...indices.shape])];
    },
  },
  {
    onnxOp: 'ScatterND',
    fold(node, inputs) {
      const [data, indices, updates] = inputs.values as [Value, Value, Value];
      const combine = scatterReduction(node.string('reduction', 'none')!, inputs.fail);
      const { rows, inner } = ndRows(data.shape, indices.shape, nums(indices), 0, (m) => inputs.fail('invalid-model', m));
      if (numElements(updates.shape) !== rows.length * inner) inputs.fail('invalid-model', `ScatterND updates [${updates.shape}] do not match indices [${indices.shape}] into data [${data.shape}]`);
      return [scatterInto(data, updates, rows, inner, combine)];
    },
  },
  scatterElementsFold('ScatterElements'),
  scatterElementsFold('Scatter'),
];
