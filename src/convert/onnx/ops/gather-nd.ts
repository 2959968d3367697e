/**
 * GatherND with constant indices on runtime data: one GATHER of the addressed rows of data viewed as
 * [∏ data.shape[: b+m], rest] (lowering/gather-rows.ts; GPU-delegated). Runtime indices are refused:
 * TFLite's GATHER_ND never runs on the GPU delegate and ONNX's negative indices need wrapping first.
 * All-constant GatherNDs fold at import (fold/indexing.ts).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { ndRows } from '../lowering/index-rows.js';
import { gatherRows, rowView } from '../lowering/gather-rows.js';

/** Shape-independent for GatherND / GatherElements / ScatterND: the indices are constant. */
export function checkConstIndices(ctx: ImportContext, node: OnnxNode): void {
  const i = node.input(1);
  if (ctx.isRuntime(i)) ctx.fail('requires-constant-input', `${node.opType} indices (input '${i}') must be a constant: data-dependent indexing has no GPU lowering`);
}

export function importGatherNd(ctx: ImportContext, node: OnnxNode): void {
  const [x, i] = [node.input(0), node.input(1)];
  const xs = ctx.shape(x);
  const is = ctx.shape(i);
  const b = node.int('batch_dims', 0)!;
  const { rows, inner } = ndRows(xs, is, ctx.requireConst(i, 'GatherND indices'), b, (m) => ctx.fail('invalid-model', `GatherND: ${m}`));
  gatherRows(ctx, rowView(ctx, x, inner, `${node.name}_rows_view`), rows, inner, node.outputs[0]!, [...is.slice(0, -1), ...xs.slice(b + is.at(-1)!)]);
}
