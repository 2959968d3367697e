/**
 * ScatterElements (and opset 9–10's Scatter, the same op without reduction): data with each element
 * of updates written at its own position on every axis but `axis`, where its index stands.
 * - Constant indices: the flat element each update writes is known at import (lowering/index-rows.ts),
 *   so it is ScatterND's row scatter with rows of one element (lowering/scatter-rows.ts), every reduction.
 * - Runtime indices (reduction none / add): SCATTER_ND at [...indices.shape, rank] coordinates built as
 *   for GatherElements (lowering/index-coords.ts, lowering/scatter-coords.ts; CPU only).
 * All-constant ones fold at import.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { axisAttr } from '../lowering/axis-attr.js';
import { elementRows } from '../lowering/index-rows.js';
import { elementCoords, int32Indices } from '../lowering/index-coords.js';
import { scatterAt, type RuntimeScatter } from '../lowering/scatter-coords.js';
import { scatterRows } from '../lowering/scatter-rows.js';

export function importScatterElements(ctx: ImportContext, node: OnnxNode): void {
  const [x, i, u] = [node.input(0), node.input(1), node.input(2)];
  const xs = ctx.shape(x);
  const is = ctx.shape(i);
  const axis = axisAttr(ctx, node, xs.length, 0);
  const reduction = node.string('reduction', 'none')!;
  const fail = (m: string): never => ctx.fail('invalid-model', `${node.opType}: ${m}`);
  if (ctx.shape(u).join() !== is.join()) fail(`updates [${ctx.shape(u)}] and indices [${is}] must have the same shape`);
  if (!ctx.isRuntime(i)) {
    const rows = elementRows(xs, is, ctx.requireConst(i, `${node.opType} indices`), axis, fail);
    return scatterRows(ctx, x, u, rows, 1, reduction, node.outputs[0]!, node.name);
  }
  const coords = int32Indices(ctx, elementCoords(ctx, xs, i, axis, fail, node.name), `${node.name}_coords`);
  scatterAt(ctx, x, coords, ctx.nchw(u), reduction as RuntimeScatter, node.outputs[0]!);
}
