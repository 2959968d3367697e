/**
 * Slice → SLICE (all steps 1) or STRIDED_SLICE, on the input's own layout (an NHWC activation is
 * sliced in NHWC with its axes remapped, so no TRANSPOSE). starts/ends/axes are attributes
 * (opsets 1–9, `sliceAttributes`) or starts/ends/axes/steps constant inputs (10+, `sliceInputs`); negative indices count from the end, out-of-range ones clamp
 * (INT64_MAX ends included), negative steps walk backwards. Only begin_mask/end_mask are ever set:
 * the GPU delegate rejects the ellipsis, new-axis and shrink masks, and slices rank-3/4 tensors
 * only, so rank-1/2 inputs are lifted to rank 3 around RESHAPEs.
 */
import { allocTyped } from '../../../ir/dtype.js';
import type { ImportContext } from '../context.js';
import { primaryOf } from '../context.js';
import { TO_NHWC } from '../layout.js';
import type { OnnxNode } from '../node.js';

export interface AxisRange {
  begin: number;
  end: number;
  step: number;
  /** Output length along the axis. */
  size: number;
  /** The end runs past index 0 (negative step): TFLite needs end_mask for it. */
  toStart: boolean;
}

/** ONNX Slice semantics for one axis of length `dim`. */
export function sliceRange(dim: number, start: number, end: number, step: number): AxisRange {
  let b = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    b = Math.min(Math.max(b, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
  } else {
    b = Math.min(Math.max(b, 0), dim - 1);
    e = Math.min(Math.max(e, -1), dim - 1);
  }
  const size = Math.max(0, Math.ceil((e - b) / step));
  return { begin: b, end: e, step, size, toStart: step < 0 && e === -1 };
}

interface SliceArgs {
  starts: number[];
  ends: number[];
  axes?: number[];
  steps?: number[];
}

type SliceArgsOf = (ctx: ImportContext, node: OnnxNode) => SliceArgs;

export function sliceAttributes(ctx: ImportContext, node: OnnxNode): SliceArgs {
  const starts = node.ints('starts');
  const ends = node.ints('ends');
  if (!starts || !ends) ctx.fail('invalid-model', `Slice needs 'starts' and 'ends' attributes`);
  return { starts, ends, axes: node.ints('axes') };
}

export const sliceInputs: SliceArgsOf = (ctx, node) => {
  const opt = (i: number, what: string) => (node.input(i) ? ctx.requireConst(node.input(i), `Slice ${what}`) : undefined);
  return { starts: ctx.requireConst(node.input(1), 'Slice starts'), ends: ctx.requireConst(node.input(2), 'Slice ends'), axes: opt(3, 'axes'), steps: opt(4, 'steps') };
};

/** Shape-independent (opset 10+): starts/ends/axes/steps are constants. */
export function checkSliceInputs(ctx: ImportContext, node: OnnxNode): void {
  for (const [i, what] of [[1, 'starts'], [2, 'ends'], [3, 'axes'], [4, 'steps']] as const) {
    const n = node.input(i);
    if (n && ctx.isRuntime(n)) ctx.fail('requires-constant-input', `Slice ${what} (input '${n}') must be a constant`);
  }
}

export const slice = (argsOf: SliceArgsOf) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const rank = xs.length;
  const { starts, ends, axes, steps } = argsOf(ctx, node);
  const ax = (axes ?? starts.map((_, i) => i)).map((a) => (a < 0 ? a + rank : a));
  if (ends.length !== starts.length || ax.length !== starts.length || (steps && steps.length !== starts.length)) {
    ctx.fail('invalid-model', `Slice starts/ends/axes/steps have different lengths (${starts.length}, ${ends.length}, ${ax.length}, ${steps?.length ?? '-'})`);
  }
  if (ax.some((a) => a < 0 || a >= rank) || new Set(ax).size !== ax.length) ctx.fail('invalid-model', `Slice axes [${axes}] are out of range or repeated for rank ${rank}`);
  const ranges: AxisRange[] = xs.map((d) => ({ begin: 0, end: d, step: 1, size: d, toStart: false }));
  ax.forEach((a, i) => {
    const step = steps?.[i] ?? 1;
    if (step === 0) ctx.fail('invalid-model', `Slice step on axis ${a} is 0`);
    ranges[a] = sliceRange(xs[a]!, starts[i]!, ends[i]!, step);
  });
  const outShape = ranges.map((r) => r.size);
  // an empty result (a causal-conv state of kernel size 1) is an empty constant, as Split's empty parts: Concat drops it
  if (outShape.some((d) => d === 0)) return ctx.defineConst(node.outputs[0]!, { dtype: ctx.dtype(x), shape: outShape, data: allocTyped(ctx.dtype(x), 0) });
  if (ranges.every((r, a) => r.step === 1 && r.size === xs[a])) return ctx.alias(node.outputs[0]!, x);
  const { tensor, form } = primaryOf(ctx, x);
  // IR axis j of an NHWC tensor holds ONNX axis TO_NHWC[j]
  const ir = form === 'NHWC' ? TO_NHWC.map((a) => ranges[a]!) : ranges;
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), outShape, form);
  if (ir.length >= 3) return emitSlice(ctx, tensor, ir, out);
  // the GPU delegate slices rank-3/4 tensors only: a rank-1/2 input is sliced as [1,…] around RESHAPEs
  const lift = new Array<AxisRange>(3 - ir.length).fill({ begin: 0, end: 1, step: 1, size: 1, toStart: false });
  const lifted = [...lift, ...ir];
  const src = ctx.reshape(tensor, [...lift.map(() => 1), ...ctx.irShape(tensor)], 'plain', `${node.name}_3d`);
  const sliced = ctx.newTensor(`${node.name}_sliced_3d`, ctx.dtype(x), lifted.map((r) => r.size), 'plain');
  emitSlice(ctx, src, lifted, sliced);
  ctx.emit('RESHAPE', [sliced, ctx.int32Const(`${out}_shape`, outShape)], [out], { newShape: [...outShape] });
};

/** Longest axis reversed as unit SLICEs + CONCATENATION; longer ones keep a negative-stride STRIDED_SLICE (not GPU-delegated). */
export const MAX_REVERSED = 32;

/**
 * SLICE (unit steps) or STRIDED_SLICE of `tensor` by per-IR-axis ranges into `out`. The GPU delegate
 * rejects negative strides, so an axis walked backwards is sliced forwards and then reversed by
 * CONCATENATION of its size-1 SLICEs in reverse order (exact, every op delegated).
 */
function emitSlice(ctx: ImportContext, tensor: string, ir: AxisRange[], out: string): void {
  const back = ir.flatMap((r, j) => (r.step < 0 ? [j] : []));
  if (back.length && back.every((j) => ir[j]!.size <= MAX_REVERSED)) {
    const fwd = ir.map((r) => {
      if (r.step > 0) return r;
      const first = r.begin + (r.size - 1) * r.step;
      return { begin: first, end: r.begin + 1, step: -r.step, size: r.size, toStart: false };
    });
    const flips = back.filter((j) => ir[j]!.size > 1);
    if (!flips.length) return emitSlice(ctx, tensor, fwd, out);
    const shape = ir.map((r) => r.size);
    const dtype = ctx.g.tensor(out).dtype;
    let cur = ctx.newTensor(`${out}_forward`, dtype, shape, 'plain');
    emitSlice(ctx, tensor, fwd, cur);
    flips.forEach((j, f) => {
      const n = ir[j]!.size;
      const one = shape.map((d, k) => (k === j ? 1 : d));
      const parts = Array.from({ length: n }, (_, i) => {
        const part = ctx.newTensor(`${out}_axis${j}_${i}`, dtype, one, 'plain');
        const begin = shape.map((_, k) => (k === j ? i : 0));
        ctx.emit('SLICE', [cur, ctx.int32Const(`${part}_begin`, begin), ctx.int32Const(`${part}_size`, one)], [part]);
        return part;
      });
      const next = f === flips.length - 1 ? out : ctx.newTensor(`${out}_reversed${j}`, dtype, shape, 'plain');
      ctx.emit('CONCATENATION', parts.reverse(), [next], { axis: j, activation: 'NONE' });
      cur = next;
    });
    return;
  }
  if (ir.every((r) => r.step === 1)) {
    ctx.emit('SLICE', [tensor, ctx.int32Const(`${out}_begin`, ir.map((r) => r.begin)), ctx.int32Const(`${out}_size`, ir.map((r) => r.size))], [out]);
    return;
  }
  let endMask = 0;
  ir.forEach((r, j) => {
    if (r.toStart) endMask |= 1 << j;
  });
  const inputs = [
    tensor,
    ctx.int32Const(`${out}_begin`, ir.map((r) => r.begin)),
    ctx.int32Const(`${out}_end`, ir.map((r) => (r.toStart ? 0 : r.end))),
    ctx.int32Const(`${out}_strides`, ir.map((r) => r.step)),
  ];
  ctx.emit('STRIDED_SLICE', inputs, [out], { beginMask: 0, endMask, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false });
}
