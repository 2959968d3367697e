/**
 * Data-movement ops on constants: Identity, Reshape, Flatten, Squeeze, Unsqueeze, Concat, Gather,
 * Slice, Expand, Tile, Transpose, in ONNX semantics (negative axes and indices, Slice clamping).
 */
import { numElements } from '../../../ir/tensor.js';
import type { FoldInputs, FoldRule } from './types.js';
import { axis, nums, type Value } from './values.js';
import { broadcastIndex, broadcastShapes, strides } from '../../../ir/ndarray.js';

/** A value of `shape` whose element at each coordinate is `v`'s element at `src(coords)` (a flat index). */
function remap(v: Value, shape: number[], src: (coords: number[]) => number): Value {
  const n = numElements(shape);
  const data = new (v.data.constructor as new (n: number) => Value['data'])(n);
  const os = strides(shape);
  const coords = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let rem = i;
    for (let a = 0; a < shape.length; a++) {
      coords[a] = Math.floor(rem / os[a]!);
      rem -= coords[a]! * os[a]!;
    }
    (data as unknown as unknown[])[i] = v.data[src(coords)]!;
  }
  return { dtype: v.dtype, shape: [...shape], data };
}

const withShape = (v: Value, shape: number[]): Value => ({ dtype: v.dtype, shape, data: v.data });

function reshapeTo(v: Value, req: number[], allowZero: boolean, inputs: FoldInputs): Value {
  const shape = req.map((d, i) => (d === 0 && !allowZero ? v.shape[i]! : d));
  const known = shape.filter((d) => d !== -1);
  if (shape.length - known.length > 1) inputs.fail('shape-mismatch', `Reshape shape [${req}] has more than one -1`);
  const total = numElements(v.shape);
  const out = shape.map((d) => (d === -1 ? total / numElements(known) : d));
  if (numElements(out) !== total || out.some((d) => !Number.isInteger(d) || d < 0)) inputs.fail('shape-mismatch', `cannot reshape [${v.shape}] to [${req}]`);
  return withShape(v, out);
}

export const MOVEMENT_FOLDS: FoldRule[] = [
  { onnxOp: 'Identity', fold: (_n, { values }) => [values[0]!] },
  {
    onnxOp: 'Reshape',
    fold(node, inputs) {
      // Reshape-1 (shape attribute) has no row: not folded, the importer names the opsets it supports
      const shape = inputs.values[1];
      if (!shape) return undefined;
      return [reshapeTo(inputs.values[0]!, nums(shape), node.int('allowzero', 0) === 1, inputs)];
    },
  },
  {
    onnxOp: 'Flatten',
    fold(node, { values }) {
      const v = values[0]!;
      const a = axis(node.int('axis', 1), v.shape.length);
      return [withShape(v, [numElements(v.shape.slice(0, a)), numElements(v.shape.slice(a))])];
    },
  },
  {
    onnxOp: 'Squeeze',
    fold(node, inputs) {
      const v = inputs.values[0]!;
      const r = v.shape.length;
      const axes = inputs.axes()?.map((a) => axis(a, r));
      if (axes?.some((a) => v.shape[a] !== 1)) inputs.fail('shape-mismatch', `Squeeze axes [${axes}] of shape [${v.shape}] are not all 1`);
      return [withShape(v, v.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)))];
    },
  },
  {
    onnxOp: 'Unsqueeze',
    fold(node, inputs) {
      const v = inputs.values[0]!;
      const axes = inputs.axes() ?? [];
      const r = v.shape.length + axes.length;
      const at = new Set(axes.map((a) => axis(a, r)));
      const shape: number[] = [];
      let k = 0;
      for (let i = 0; i < r; i++) shape.push(at.has(i) ? 1 : v.shape[k++]!);
      return [withShape(v, shape)];
    },
  },
  {
    onnxOp: 'Concat',
    fold(node, inputs) {
      const vs = inputs.values.filter((v): v is Value => !!v);
      const r = vs[0]!.shape.length;
      const a = axis(node.int('axis', 0), r);
      const shape = [...vs[0]!.shape];
      shape[a] = vs.reduce((s, v) => s + v.shape[a]!, 0);
      const outer = numElements(shape.slice(0, a));
      const data = new (vs[0]!.data.constructor as new (n: number) => Value['data'])(numElements(shape));
      let o = 0;
      for (let i = 0; i < outer; i++) {
        for (const v of vs) {
          const block = numElements(v.shape.slice(a));
          for (let j = 0; j < block; j++) (data as unknown as unknown[])[o++] = v.data[i * block + j]!;
        }
      }
      return [{ dtype: vs[0]!.dtype, shape, data }];
    },
  },
  {
    onnxOp: 'Gather',
    fold(node, inputs) {
      const [v, ind] = inputs.values as Value[];
      const a = axis(node.int('axis', 0), v!.shape.length);
      const d = v!.shape[a]!;
      const idx = nums(ind!).map((i) => (i < 0 ? i + d : i));
      if (idx.some((i) => i < 0 || i >= d)) inputs.fail('invalid-model', `Gather indices [${nums(ind!)}] out of range for axis ${a} of size ${d}`);
      const shape = [...v!.shape.slice(0, a), ...ind!.shape, ...v!.shape.slice(a + 1)];
      const s = strides(v!.shape);
      const ir = ind!.shape.length;
      const is = strides(ind!.shape);
      return [
        remap(v!, shape, (c) => {
          let k = 0;
          for (let j = 0; j < ir; j++) k += c[a + j]! * is[j]!;
          let f = idx[k]! * s[a]!;
          for (let j = 0; j < a; j++) f += c[j]! * s[j]!;
          for (let j = a + 1; j < v!.shape.length; j++) f += c[j + ir - 1]! * s[j]!;
          return f;
        }),
      ];
    },
  },
  {
    onnxOp: 'Slice',
    fold(node, inputs) {
      const v = inputs.values[0]!;
      const r = v.shape.length;
      let starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined;
      if (inputs.values.length === 1) {
        // Slice-1 (opsets 1–9): one input, starts / ends / axes attributes
        starts = node.ints('starts') ?? [];
        ends = node.ints('ends') ?? [];
        axes = node.ints('axes');
      } else {
        starts = nums(inputs.values[1]!);
        ends = nums(inputs.values[2]!);
        axes = inputs.values[3] ? nums(inputs.values[3]) : undefined;
        steps = inputs.values[4] ? nums(inputs.values[4]) : undefined;
      }
      const begin = new Array<number>(r).fill(0);
      const step = new Array<number>(r).fill(1);
      const shape = [...v.shape];
      starts.forEach((s0, j) => {
        const a = axis(axes ? axes[j]! : j, r);
        const d = v.shape[a]!;
        const st = steps ? steps[j]! : 1;
        if (st === 0) inputs.fail('invalid-model', 'Slice step 0');
        let s = s0 < 0 ? s0 + d : s0;
        let e = ends[j]! < 0 ? ends[j]! + d : ends[j]!;
        if (st > 0) {
          s = Math.min(Math.max(s, 0), d);
          e = Math.min(Math.max(e, 0), d);
          shape[a] = Math.max(0, Math.ceil((e - s) / st));
        } else {
          s = Math.min(Math.max(s, -1), d - 1);
          e = Math.min(Math.max(e, -1), d - 1);
          shape[a] = Math.max(0, Math.ceil((s - e) / -st));
        }
        begin[a] = s;
        step[a] = st;
      });
      const s = strides(v.shape);
      return [remap(v, shape, (c) => c.reduce((f, x, i) => f + (begin[i]! + x * step[i]!) * s[i]!, 0))];
    },
  },
  {
    onnxOp: 'Expand',
    fold(_node, inputs) {
      const [v, sh] = inputs.values as Value[];
      const shape = broadcastShapes(v!.shape, nums(sh!))!;
      if (!shape) inputs.fail('shape-mismatch', `Expand: [${v!.shape}] does not broadcast to [${nums(sh!)}]`);
      const idx = broadcastIndex(v!.shape, shape);
      const out = remap(v!, [numElements(shape)], (c) => idx[c[0]!]!);
      return [withShape(out, shape)];
    },
  },
  {
    onnxOp: 'Tile',
    fold(_node, inputs) {
      const [v, rep] = inputs.values as Value[];
      const reps = nums(rep!);
      if (reps.length !== v!.shape.length) inputs.fail('shape-mismatch', `Tile repeats [${reps}] do not match rank ${v!.shape.length}`);
      const shape = v!.shape.map((d, i) => d * reps[i]!);
      const s = strides(v!.shape);
      return [remap(v!, shape, (c) => c.reduce((f, x, i) => f + (x % v!.shape[i]!) * s[i]!, 0))];
    },
  },
  {
    onnxOp: 'Transpose',
    fold(node, { values }) {
      const v = values[0]!;
      const r = v.shape.length;
      const perm = node.ints('perm') ?? Array.from({ length: r }, (_, i) => r - 1 - i);
      const s = strides(v.shape);
      return [remap(v, perm.map((p) => v.shape[p]!), (c) => c.reduce((f, x, i) => f + x * s[perm[i]!]!, 0))];
    },
  },
];
