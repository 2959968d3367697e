/**
 * Split → SPLIT (equal parts) or SPLIT_V (given sizes; opset 18's num_outputs with a smaller last
 * chunk), on the input's own layout with the axis remapped for NHWC activations. Sizes come from
 * the `split` attribute (opsets 1–12), a constant second input (13+), or an equal division (exact
 * before 18; from 18 the last chunk may be smaller). One table row per variant.
 */
import { allocTyped } from '../../../ir/dtype.js';
import type { ImportContext } from '../context.js';
import { primaryOf } from '../context.js';
import { nhwcAxis } from '../layout.js';
import type { OnnxNode } from '../node.js';

/** How a Split version reads its sizes, and whether an equal division may leave a smaller last chunk. */
export interface SplitVersion {
  sizes(ctx: ImportContext, node: OnnxNode): number[] | undefined;
  smallerLastChunk: boolean;
}

const sizesAttribute = (_ctx: ImportContext, node: OnnxNode) => node.ints('split');
const sizesInput = (ctx: ImportContext, node: OnnxNode) => (node.input(1) ? ctx.requireConst(node.input(1), 'Split sizes') : undefined);

export const SPLIT_1: SplitVersion = { sizes: sizesAttribute, smallerLastChunk: false };
export const SPLIT_13: SplitVersion = { sizes: sizesInput, smallerLastChunk: false };
export const SPLIT_18: SplitVersion = { sizes: sizesInput, smallerLastChunk: true };

/** Shape-independent (opset 13+): the split sizes are constant. */
export function checkSplitInput(ctx: ImportContext, node: OnnxNode): void {
  const s = node.input(1);
  if (s && ctx.isRuntime(s)) ctx.fail('requires-constant-input', `Split sizes (input '${s}') must be a constant`);
}

function splitSizes(ctx: ImportContext, node: OnnxNode, dim: number, v: SplitVersion): number[] {
  const n = node.outputs.length;
  const given = v.sizes(ctx, node);
  if (given && given.length) {
    if (given.length !== n) ctx.fail('invalid-model', `Split sizes [${given}] give ${given.length} parts for ${n} outputs`);
    if (given.reduce((a, b) => a + b, 0) !== dim) ctx.fail('shape-mismatch', `Split sizes [${given}] do not add up to the axis length ${dim}`);
    return given;
  }
  const parts = node.int('num_outputs') ?? n;
  if (parts !== n) ctx.fail('invalid-model', `Split num_outputs = ${parts} but the node has ${n} outputs`);
  if (!v.smallerLastChunk && dim % parts !== 0) ctx.fail('shape-mismatch', `Split of an axis of length ${dim} into ${parts} equal parts`);
  const chunk = Math.ceil(dim / parts);
  return Array.from({ length: parts }, (_, i) => Math.min(chunk, dim - i * chunk));
}

export const split = (v: SplitVersion) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const rank = xs.length;
  let axis = node.int('axis', 0);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) ctx.fail('invalid-model', `Split axis ${node.int('axis', 0)} is out of range for rank ${rank}`);
  const sizes = splitSizes(ctx, node, xs[axis]!, v);
  if (sizes.some((s) => s < 0)) ctx.fail('invalid-model', `Split sizes [${sizes}] are negative`);
  const shapeOf = (i: number) => xs.map((d, k) => (k === axis ? sizes[i]! : d));
  // an empty part (rotary embeddings split off a 0-length tail) is an empty constant: TFLite tensors
  // cannot be empty, and Concat drops empty inputs
  node.outputs.forEach((o, i) => {
    if (sizes[i] === 0) ctx.defineConst(o, { dtype: ctx.dtype(x), shape: shapeOf(i), data: allocTyped(ctx.dtype(x), 0) });
  });
  const parts = node.outputs.flatMap((o, i) => (sizes[i]! > 0 ? [{ o, i }] : []));
  if (!parts.length) return; // every part is empty (an empty input split in 0-length parts)
  if (parts.length === 1) return ctx.alias(parts[0]!.o, x);
  const { tensor, form } = primaryOf(ctx, x);
  const irAxis = form === 'NHWC' ? nhwcAxis(axis) : axis;
  const outs = parts.map(({ o, i }) => ctx.define(o, ctx.dtype(x), shapeOf(i), form));
  const kept = parts.map(({ i }) => sizes[i]!);
  const numSplits = kept.length;
  if (kept.every((s) => s === kept[0])) {
    ctx.emit('SPLIT', [ctx.int32Const(`${node.name}_axis`, [irAxis], []), tensor], outs, { numSplits });
    return;
  }
  ctx.emit('SPLIT_V', [tensor, ctx.int32Const(`${node.name}_sizes`, kept), ctx.int32Const(`${node.name}_axis`, [irAxis], [])], outs, { numSplits });
};
