/**
 * GatherElements with constant indices on runtime data: each output element's flat source element is
 * known at import, so it is one GATHER of data viewed as [n, 1] (lowering/gather-rows.ts; GPU-delegated).
 * Runtime indices are refused (checkConstIndices); all-constant ones fold at import.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { elementRows } from '../lowering/index-rows.js';
import { gatherRows, rowView } from '../lowering/gather-rows.js';
import { axisAttr } from '../lowering/axis-attr.js';

export function importGatherElements(ctx: ImportContext, node: OnnxNode): void {
  const [x, i] = [node.input(0), node.input(1)];
  const xs = ctx.shape(x);
  const axis = axisAttr(ctx, node, xs.length, 0);
  const rows = elementRows(xs, ctx.shape(i), ctx.requireConst(i, 'GatherElements indices'), axis, (m) => ctx.fail('invalid-model', `GatherElements: ${m}`));
  gatherRows(ctx, rowView(ctx, x, 1, `${node.name}_elements`), rows, 1, node.outputs[0]!, [...ctx.shape(i)]);
}
