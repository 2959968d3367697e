/** RESHAPE of ONNX value `x` to `shape` in ONNX element order into value `outName`; a constant is re-shaped in place. */
import type { ImportContext } from '../context.js';

export function emitReshape(ctx: ImportContext, x: string, shape: number[], outName: string): void {
  const c = ctx.constant(x);
  if (c?.data) return ctx.defineConst(outName, { ...c, shape: [...shape] }); // folded: same data, new shape
  const input = ctx.onnxOrder(x);
  const out = ctx.define(outName, ctx.dtype(x), shape, 'ONNX');
  ctx.emit('RESHAPE', [input, ctx.int32Const(`${out}_shape`, shape)], [out], { newShape: [...shape] });
}
