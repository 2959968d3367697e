/**
 * GatherElements.
 * - Constant indices on runtime data: each output element's flat source element is known at import,
 *   so it is one GATHER of data viewed as [n, 1] (lowering/gather-rows.ts; GPU-delegated).
 * - Runtime indices: TFLite GATHER_ND (CPU only) on data in ONNX order, with coordinates
 *   [...indices.shape, rank]: each element's own position on every axis but `axis`, where the
 *   (wrapped) index stands (lowering/index-coords.ts).
 * All-constant GatherElements fold at import.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { elementRows } from '../lowering/index-rows.js';
import { gatherRows, rowView } from '../lowering/gather-rows.js';
import { axisAttr } from '../lowering/axis-attr.js';
import { elementCoords } from '../lowering/index-coords.js';

export function importGatherElements(ctx: ImportContext, node: OnnxNode): void {
  const [x, i] = [node.input(0), node.input(1)];
  const xs = ctx.shape(x);
  const is = ctx.shape(i);
  const axis = axisAttr(ctx, node, xs.length, 0);
  const fail = (m: string): never => ctx.fail('invalid-model', `GatherElements: ${m}`);
  if (!ctx.isRuntime(i)) {
    const rows = elementRows(xs, is, ctx.requireConst(i, 'GatherElements indices'), axis, fail);
    return gatherRows(ctx, rowView(ctx, x, 1, `${node.name}_elements`), rows, 1, node.outputs[0]!, [...is]);
  }
  const coords = elementCoords(ctx, xs, i, axis, fail, node.name);
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), [...is], 'ONNX');
  ctx.emit('GATHER_ND', [ctx.nchw(x), coords], [out]);
}
