/**
 * Gather → TFLite GATHER. Constant indices (PyTorch `x[:, i]`, `x[:, [2, 0, 1]]`) are resolved here:
 * negative ones wrapped, out-of-range ones rejected, and a 1-D int32 list is what the GPU delegate
 * takes. Runtime indices (an embedding lookup `weight[ids]`) are wrapped in the graph exactly as ONNX
 * defines them (lowering/index-coords.ts); one outside [-dim, dim) makes TFLite's GATHER fail the run
 * ("gather index out of bounds") as onnxruntime does — it never wraps or clamps silently.
 *
 * A 1-D index list keeps the rank, so an NHWC activation is gathered in place along its mapped axis (a
 * constant list of several positions as SLICE pieces and a CONCATENATION: lowering/const-gather.ts); a
 * scalar index gathers one slice the same way and drops the axis with a RESHAPE (emitReshape: no
 * TRANSPOSE when only size-1 axes move). Indices of rank ≥ 2 gather in ONNX order. All-constant
 * Gathers fold at import.
 */
import { TO_NHWC } from '../layout.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitReshape } from '../lowering/emit-reshape.js';
import { checkIndexDType, wrapNegative } from '../lowering/index-coords.js';
import { emitConstGather } from '../lowering/const-gather.js';

/** Shape-independent: runtime indices must be int32 / int64 (ONNX allows nothing else). */
export function checkGather(ctx: ImportContext, node: OnnxNode): void {
  checkIndexDType(ctx, 'Gather', node.input(1));
}

export function importGather(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const r = xs.length;
  let axis = node.int('axis', 0);
  if (axis < 0) axis += r;
  if (axis < 0 || axis >= r) ctx.fail('invalid-model', `Gather axis ${node.int('axis', 0)} is out of range for rank ${r}`);
  const ishape = ctx.shape(node.input(1));
  const d = xs[axis]!;
  const runtime = ctx.isRuntime(node.input(1));
  let positions: (shape: number[]) => string;
  let count: number;
  let constIdx: number[] = [];
  if (runtime) {
    const wrapped = wrapNegative(ctx, ctx.nchw(node.input(1)), [d], node.name);
    count = ishape.reduce((a, b) => a * b, 1);
    positions = (shape) => (shape.length === ishape.length ? wrapped : ctx.reshape(wrapped, shape, 'plain', `${node.name}_positions_1d`));
  } else {
    const raw = ctx.requireConst(node.input(1), 'Gather indices');
    const idx = raw.map((i) => (i < 0 ? i + d : i));
    if (idx.some((i) => i < 0 || i >= d)) ctx.fail('invalid-model', `Gather indices [${raw}] are out of range for axis ${axis} of size ${d}`);
    count = idx.length;
    // every position of the axis in order (the dynamo exporter's as_strided): only a reshape
    if (count === d && idx.every((i, k) => i === k)) return emitReshape(ctx, x, [...xs.slice(0, axis), ...ishape, ...xs.slice(axis + 1)], node.outputs[0]!);
    positions = (shape) => ctx.int32Const(`${node.name}_indices`, idx, shape);
    constIdx = idx;
  }
  const out = node.outputs[0]!;
  const outShape = [...xs.slice(0, axis), ...ishape, ...xs.slice(axis + 1)];
  const dtype = ctx.dtype(x);
  if (ishape.length <= 1) {
    // rank kept (a scalar gathers as [i] and drops the axis after)
    const src = primaryOf(ctx, x);
    const irAxis = src.form === 'NHWC' ? (TO_NHWC as readonly number[]).indexOf(axis) : axis;
    const kept = xs.map((v, i) => (i === axis ? count : v));
    const name = ishape.length === 0 ? `${out}__gathered` : out;
    const t = ctx.define(name, dtype, kept, src.form);
    const pieces = !runtime && count > 1 && emitConstGather(ctx, src.tensor, irAxis, constIdx, t);
    if (!pieces) ctx.emit('GATHER', [src.tensor, positions([count])], [t], { axis: irAxis, batchDims: 0 });
    if (ishape.length === 0) emitReshape(ctx, name, outShape, out);
    return;
  }
  const t = ctx.define(out, dtype, outShape, 'ONNX');
  ctx.emit('GATHER', [ctx.nchw(x), positions(ishape)], [t], { axis, batchDims: 0 });
}
