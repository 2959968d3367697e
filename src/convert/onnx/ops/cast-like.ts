/**
 * CastLike (opset 15): Cast to the element type of input 1, which may be a runtime value (only its
 * type is read). Constants convert at import (fold/cast.ts rules); runtime float16 is held as float32.
 */
import { castTo } from '../fold/cast.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitCast } from '../lowering/emit-cast.js';
import { dataOnce } from '../tensor-data.js';
import { heldDType } from '../float64.js';

export function importCastLike(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  // a constant's own type (a float64 one is held in float32, but a constant cast to it stays float64: float64.ts)
  const to = ctx.constant(node.input(1))?.dtype ?? ctx.dtype(node.input(1));
  const out = node.outputs[0]!;
  if (to === 'string' || ctx.dtype(x) === 'string') ctx.fail('unsupported-dtype', `CastLike between '${ctx.dtype(x)}' and '${to}' is not supported`);
  const c = ctx.constant(x);
  const data = c && dataOnce(c);
  if (c && data) {
    const v = castTo({ dtype: c.dtype, shape: [...c.shape], data }, to);
    return ctx.defineConst(out, { dtype: v.dtype, shape: v.shape, data: v.data });
  }
  const from = ctx.dtype(x);
  const held = to === 'float16' ? 'float32' : heldDType(to); // float64 too (float64.ts)
  if (from === held) return ctx.alias(out, x);
  const { tensor, form } = primaryOf(ctx, x);
  const t = ctx.define(out, held, ctx.shape(x), form);
  emitCast(ctx, tensor, t, from, held); // (uint64 through int64 bits: emit-cast.ts)
}
