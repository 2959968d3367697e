/**
 * ScatterND. Constant indices on runtime data (or updates): a few GATHERs for every reduction
 * (lowering/scatter-rows.ts).
 * Runtime indices (reduction none / add): SCATTER_ND (lowering/scatter-coords.ts) at the indices wrapped
 * per coordinate (lowering/index-coords.ts); mul / max / min with runtime indices are refused.
 * An all-constant ScatterND (swin_t's masks) folds at import.
 */
import { numElements } from '../../../ir/tensor.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { ndRows } from '../lowering/index-rows.js';
import { checkIndexDType, int32Indices, wrapNegative } from '../lowering/index-coords.js';
import { scatterAt, type RuntimeScatter } from '../lowering/scatter-coords.js';
import { COMBINE, scatterRows } from '../lowering/scatter-rows.js';

export function checkScatterNd(ctx: ImportContext, node: OnnxNode): void {
  const r = node.string('reduction', 'none')!;
  const i = node.input(1);
  if (r !== 'none' && !COMBINE[r]) ctx.fail('unsupported-attribute', `${node.opType} reduction '${r}' is not one of none, add, mul, max, min`);
  checkIndexDType(ctx, node.opType, i);
  if (ctx.isRuntime(i) && r !== 'none' && r !== 'add') ctx.fail('requires-constant-input', `${node.opType} reduction '${r}' needs constant indices (input '${i}'): TFLite's SCATTER_ND only sums, so run-time indices lower for reduction none and add`);
}

/** Runtime indices [..., k]: SCATTER_ND at them, wrapped by data's dims [0, k). */
function scatterRuntime(ctx: ImportContext, node: OnnxNode, xs: number[]): void {
  const [x, i, u] = [node.input(0), node.input(1), node.input(2)];
  const is = ctx.shape(i);
  const k = is.at(-1) ?? 0;
  const us = [...is.slice(0, -1), ...xs.slice(k)];
  if (is.length < 1 || k < 1 || k > xs.length) ctx.fail('invalid-model', `ScatterND indices [${is}] cannot index data [${xs}]`);
  if (ctx.shape(u).join() !== us.join()) ctx.fail('invalid-model', `ScatterND updates [${ctx.shape(u)}] should be [${us}] for indices [${is}] into data [${xs}]`);
  const coords = int32Indices(ctx, wrapNegative(ctx, ctx.nchw(i), xs.slice(0, k), `${node.name}_indices`), `${node.name}_indices`);
  scatterAt(ctx, x, coords, ctx.nchw(u), node.string('reduction', 'none') as RuntimeScatter, node.outputs[0]!);
}

export function importScatterNd(ctx: ImportContext, node: OnnxNode): void {
  const [x, i, u] = [node.input(0), node.input(1), node.input(2)];
  const xs = ctx.shape(x);
  if (ctx.isRuntime(i)) return scatterRuntime(ctx, node, xs);
  const { rows, inner } = ndRows(xs, ctx.shape(i), ctx.requireConst(i, 'ScatterND indices'), 0, (m) => ctx.fail('invalid-model', `ScatterND: ${m}`));
  if (numElements(ctx.shape(u)) !== rows.length * inner) ctx.fail('invalid-model', `ScatterND updates [${ctx.shape(u)}] do not match indices [${ctx.shape(i)}] into data [${xs}]`);
  scatterRows(ctx, x, u, rows, inner, node.string('reduction', 'none')!, node.outputs[0]!, node.name);
}
