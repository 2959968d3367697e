/**
 * Gather of runtime data with constant indices (PyTorch `x[:, i]`, `x[:, [2, 0, 1]]`) → TFLite GATHER
 * (the GPU delegate takes it with 1-D int32 indices). A 1-D index list keeps the rank, so an NHWC
 * activation is gathered in place along its mapped axis; a scalar index gathers one slice the same
 * way and drops the axis with a RESHAPE (emitReshape: no TRANSPOSE when only size-1 axes move).
 * Indices of rank ≥ 2 gather in ONNX order. Negative indices are resolved here; runtime indices are
 * rejected (all-constant Gathers fold at import).
 */
import { TO_NHWC } from '../layout.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitReshape } from './reshape.js';

/** Shape-independent: the indices are a constant. */
export function checkGather(ctx: ImportContext, node: OnnxNode): void {
  const i = node.input(1);
  if (ctx.isRuntime(i)) ctx.fail('requires-constant-input', `Gather indices (input '${i}') must be a constant: TFLite GPU GATHER takes constant 1-D indices`);
}

export function importGather(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const r = xs.length;
  let axis = node.int('axis', 0);
  if (axis < 0) axis += r;
  if (axis < 0 || axis >= r) ctx.fail('invalid-model', `Gather axis ${node.int('axis', 0)} is out of range for rank ${r}`);
  const raw = ctx.requireConst(node.input(1), 'Gather indices');
  const ishape = ctx.shape(node.input(1));
  const d = xs[axis]!;
  const idx = raw.map((i) => (i < 0 ? i + d : i));
  if (idx.some((i) => i < 0 || i >= d)) ctx.fail('invalid-model', `Gather indices [${raw}] are out of range for axis ${axis} of size ${d}`);
  const out = node.outputs[0]!;
  const outShape = [...xs.slice(0, axis), ...ishape, ...xs.slice(axis + 1)];
  const dtype = ctx.dtype(x);
  if (ishape.length <= 1) {
    // rank kept (a scalar gathers as [i] and drops the axis after)
    const src = primaryOf(ctx, x);
    const irAxis = src.form === 'NHWC' ? (TO_NHWC as readonly number[]).indexOf(axis) : axis;
    const kept = xs.map((v, i) => (i === axis ? idx.length : v));
    const name = ishape.length === 0 ? `${out}__gathered` : out;
    const t = ctx.define(name, dtype, kept, src.form);
    ctx.emit('GATHER', [src.tensor, ctx.int32Const(`${node.name}_indices`, idx)], [t], { axis: irAxis, batchDims: 0 });
    if (ishape.length === 0) emitReshape(ctx, name, outShape, out);
    return;
  }
  const t = ctx.define(out, dtype, outShape, 'ONNX');
  ctx.emit('GATHER', [ctx.nchw(x), ctx.int32Const(`${node.name}_indices`, idx, ishape)], [t], { axis, batchDims: 0 });
}
