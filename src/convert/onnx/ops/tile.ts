/**
 * Tile and Expand → TILE on the input's own layout (multiples permuted for NHWC activations), so no
 * TRANSPOSE is needed. Expand broadcasts to a constant shape: a lower-rank input is first RESHAPEd to
 * the output rank with leading 1s; an Expand that changes nothing is the input itself. (TILE, not
 * BROADCAST_TO: the GPU delegate has no BROADCAST_TO parser; TILE needs one runtime input, which holds.)
 */
import type { ImportContext } from '../context.js';
import { primaryOf } from '../context.js';
import { TO_NHWC } from '../layout.js';
import type { OnnxNode } from '../node.js';
import { emitReshape } from '../lowering/emit-reshape.js';
import { defineEmptyResult } from '../empty.js';
import { permuteShape } from '../../../ir/ndarray.js';

/** Shape-independent: repeats (Tile) / shape (Expand) is constant. */
export function checkTileInput(ctx: ImportContext, node: OnnxNode): void {
  const r = node.input(1);
  if (!r || ctx.isRuntime(r)) ctx.fail('requires-constant-input', `${node.opType} ${node.opType === 'Tile' ? 'repeats' : 'shape'} (input '${r}') must be a constant`);
}

/** TILE `x` (same rank as `multiples`, ONNX order) into ONNX value `outName`. */
function emitTile(ctx: ImportContext, x: string, multiples: number[], outName: string): void {
  const xs = ctx.shape(x);
  const outShape = xs.map((d, i) => d * multiples[i]!);
  if (multiples.every((m) => m === 1)) return ctx.alias(outName, x);
  if (outShape.some((d) => d === 0)) return defineEmptyResult(ctx, outName, ctx.dtype(x), outShape); // nothing to compute (empty.ts)
  const { tensor, form } = primaryOf(ctx, x);
  const irMultiples = form === 'NHWC' ? permuteShape(multiples, TO_NHWC) : multiples;
  const out = ctx.define(outName, ctx.dtype(x), outShape, form);
  ctx.emit('TILE', [tensor, ctx.int32Const(`${out}_multiples`, irMultiples)], [out]);
}

export function importTile(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const repeats = ctx.requireConst(node.input(1), 'Tile repeats');
  if (repeats.length !== ctx.rank(x)) ctx.fail('invalid-model', `Tile repeats [${repeats}] do not match input rank ${ctx.rank(x)}`);
  if (repeats.some((r) => r < 0)) ctx.fail('invalid-model', `Tile repeats [${repeats}] are negative`);
  emitTile(ctx, x, repeats, node.outputs[0]!);
}

export function importExpand(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const target = ctx.requireConst(node.input(1), 'Expand shape');
  const rank = Math.max(xs.length, target.length);
  const padX = [...new Array<number>(rank - xs.length).fill(1), ...xs];
  const padT = [...new Array<number>(rank - target.length).fill(1), ...target];
  const multiples = padX.map((d, i) => {
    const t = padT[i]!;
    if (d === t || t === 1) return 1;
    if (d === 1) return t;
    return ctx.fail('shape-mismatch', `Expand of [${xs}] to [${target}]: axis ${i} has length ${d}, cannot broadcast to ${t}`);
  });
  let src = x;
  if (rank !== xs.length) {
    if (multiples.every((m) => m === 1)) return emitReshape(ctx, x, padX, node.outputs[0]!);
    src = `${node.outputs[0]!}__rank${rank}`;
    emitReshape(ctx, x, padX, src);
  }
  emitTile(ctx, src, multiples, node.outputs[0]!);
}
