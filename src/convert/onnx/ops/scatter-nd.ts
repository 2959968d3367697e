/**
 * ScatterND with constant indices and reduction 'none' on runtime data (or updates): the rows the
 * indices overwrite are known at import, so the result is one GATHER over CONCATENATION(data, updates),
 * both viewed as [·, inner]: row r reads data row r, or updates row u when index u writes r (the last
 * write wins, as onnxruntime applies them in order). Reductions other than 'none' on runtime values and
 * runtime indices are refused; an all-constant ScatterND (swin_t's masks) folds at import.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { numElements } from '../../../ir/tensor.js';
import { ndRows } from '../lowering/index-rows.js';
import { gatherRows, rowView } from '../lowering/gather-rows.js';

export function checkScatterNd(ctx: ImportContext, node: OnnxNode): void {
  const r = node.string('reduction', 'none');
  if (r !== 'none') ctx.fail('unsupported-attribute', `ScatterND reduction '${r}' on runtime values is not supported (only 'none'; all-constant ScatterNDs fold with any reduction)`);
}

export function importScatterNd(ctx: ImportContext, node: OnnxNode): void {
  const [x, i, u] = [node.input(0), node.input(1), node.input(2)];
  const xs = ctx.shape(x);
  const { rows, inner } = ndRows(xs, ctx.shape(i), ctx.requireConst(i, 'ScatterND indices'), 0, (m) => ctx.fail('invalid-model', `ScatterND: ${m}`));
  if (numElements(ctx.shape(u)) !== rows.length * inner) ctx.fail('invalid-model', `ScatterND updates [${ctx.shape(u)}] do not match indices [${ctx.shape(i)}] into data [${xs}]`);
  const dataRows = numElements(xs) / inner;
  const src = Array.from({ length: dataRows }, (_, r) => r);
  rows.forEach((r, t) => (src[r] = dataRows + t));
  const data = rowView(ctx, x, inner, `${node.name}_data_rows`);
  const updates = rowView(ctx, u, inner, `${node.name}_update_rows`);
  const both = ctx.newTensor(`${node.name}_data_and_updates`, ctx.g.tensor(data).dtype, [dataRows + rows.length, inner], 'plain');
  ctx.emit('CONCATENATION', [data, updates], [both], { axis: 0, activation: 'NONE' });
  gatherRows(ctx, both, src, inner, node.outputs[0]!, [...xs]);
}
