/**
 * GatherND.
 * - Constant indices on runtime data: one GATHER of the addressed rows of data viewed as
 *   [∏ data.shape[: b+m], rest] (lowering/gather-rows.ts; GPU-delegated).
 * - Runtime indices: TFLite GATHER_ND (CPU only: the GPU delegate has no GATHER_ND) on data in ONNX
 *   order, its indices wrapped per coordinate (lowering/index-coords.ts) and, for batch_dims b > 0,
 *   prefixed by a constant grid of the batch positions they share with data.
 * All-constant GatherNDs fold at import (fold/indexing.ts).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { ndRows } from '../lowering/index-rows.js';
import { gatherRows, rowView } from '../lowering/gather-rows.js';
import { checkIndexDType, joinCoords, wrapNegative } from '../lowering/index-coords.js';

/** Shape-independent for GatherND / GatherElements: runtime indices are int32 / int64. */
export function checkIndices(ctx: ImportContext, node: OnnxNode): void {
  checkIndexDType(ctx, node.opType, node.input(1));
}

/** `batch_dims` and indices [..., m] fit data [xs]; fails naming the mismatch. */
function checkNdShapes(ctx: ImportContext, xs: readonly number[], is: readonly number[], b: number): void {
  const m = is.at(-1) ?? 0;
  if (is.length < 1 || m < 1 || b < 0 || b >= is.length || b + m > xs.length) ctx.fail('invalid-model', `GatherND: indices [${is}] cannot index data [${xs}] with batch_dims ${b}`);
  for (let a = 0; a < b; a++) if (is[a] !== xs[a]) ctx.fail('invalid-model', `GatherND: batch dim ${a} differs: indices [${is}], data [${xs}]`);
}

export function importGatherNd(ctx: ImportContext, node: OnnxNode): void {
  const [x, i] = [node.input(0), node.input(1)];
  const xs = ctx.shape(x);
  const is = ctx.shape(i);
  const b = node.int('batch_dims', 0)!;
  const outShape = [...is.slice(0, -1), ...xs.slice(b + (is.at(-1) ?? 0))];
  if (!ctx.isRuntime(i)) {
    const { rows, inner } = ndRows(xs, is, ctx.requireConst(i, 'GatherND indices'), b, (m) => ctx.fail('invalid-model', `GatherND: ${m}`));
    return gatherRows(ctx, rowView(ctx, x, inner, `${node.name}_rows_view`), rows, inner, node.outputs[0]!, outShape);
  }
  checkNdShapes(ctx, xs, is, b);
  const idx = ctx.nchw(i);
  const wrapped = wrapNegative(ctx, idx, xs.slice(b, b + is.at(-1)!), `${node.name}_indices`);
  const dtype = ctx.g.tensor(idx).dtype as 'int32' | 'int64';
  const batch = Array.from({ length: b }, (_, a) => a);
  const coords = joinCoords(ctx, is.slice(0, -1), [{ axes: batch }, { tensor: wrapped }], dtype, node.name);
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), outShape, 'ONNX');
  ctx.emit('GATHER_ND', [ctx.nchw(x), coords], [out]);
}
