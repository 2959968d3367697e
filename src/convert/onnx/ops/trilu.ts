/**
 * Trilu on a runtime tensor: SELECT_V2(mask, x, 0) with the constant keep-mask of fold/indexing.ts
 * (x's shape, so no broadcast of the condition) — exact, and 0 where x is inf / NaN (a MUL by the mask
 * would give NaN there). k must be constant. Trilu of constants folds at import.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { numElements } from '../../../ir/tensor.js';
import { allocTyped } from '../../../ir/dtype.js';
import { triluKeeps } from '../fold/indexing.js';

export function checkTrilu(ctx: ImportContext, node: OnnxNode): void {
  const k = node.input(1);
  if (k && ctx.isRuntime(k)) ctx.fail('requires-constant-input', `Trilu k (input '${k}') must be a constant`);
}

export function importTrilu(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  if (xs.length < 2) ctx.fail('invalid-model', `Trilu input '${x}' [${xs}] has rank < 2`);
  const k = node.input(1) ? (ctx.constNumbers(node.input(1)) ?? [0])[0]! : 0;
  const keep = triluKeeps(xs, k, node.int('upper', 1) === 1);
  const n = numElements(xs);
  const mask = `${node.name}__keep`;
  ctx.defineConst(mask, { dtype: 'bool', shape: [...xs], data: Uint8Array.from({ length: n }, (_, i) => (keep(i) ? 1 : 0)) });
  const zero = `${node.name}__zero`;
  const dtype = ctx.dtype(x);
  ctx.defineConst(zero, { dtype, shape: [], data: allocTyped(dtype, 1) });
  const { tensors, form } = ctx.broadcastOperands([mask, x, zero]);
  ctx.emit('SELECT_V2', tensors, [ctx.define(node.outputs[0]!, dtype, xs, form)]);
}
