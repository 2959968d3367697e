/**
 * MatMul: constant 2-D B → FULLY_CONNECTED (weights Bᵀ, keep_num_dims); otherwise BATCH_MATMUL.
 * A 1-D operand follows numpy: A [K] is read as [1, K], B [K] as [K, 1], and the added axis is
 * removed from the result with a RESHAPE.
 */

import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { broadcastShapes } from '../../../ir/ndarray.js';

export function importMatMul(ctx: ImportContext, node: OnnxNode): void {
  const [a, b] = [node.input(0), node.input(1)];
  const as = ctx.shape(a);
  const bs = ctx.shape(b);
  if (!as.length || !bs.length) ctx.fail('unsupported-attribute', `MatMul with a scalar operand ([${as}] × [${bs}]) is not valid ONNX`);
  if (as.length >= 2 && bs.length >= 2) {
    emitMatMul(ctx, node, a, b, node.outputs[0]!);
    return;
  }
  const a2 = as.length === 1 ? reshaped(ctx, a, [1, as[0]!], `${node.name}__a2d`) : a;
  const b2 = bs.length === 1 ? reshaped(ctx, b, [bs[0]!, 1], `${node.name}__b2d`) : b;
  const product = `${node.name}__product`;
  emitMatMul(ctx, node, a2, b2, product);
  const ps = ctx.shape(product);
  const final = ps.filter((_, i) => !((as.length === 1 && i === ps.length - 2) || (bs.length === 1 && i === ps.length - 1)));
  const out = ctx.define(node.outputs[0]!, ctx.dtype(product), final, 'ONNX');
  ctx.emit('RESHAPE', [ctx.nchw(product), ctx.int32Const(`${out}_shape`, final)], [out], { newShape: [...final] });
}

/** ONNX value `name` with a new shape of the same size: a constant re-viewed, or a RESHAPE. */
function reshaped(ctx: ImportContext, name: string, shape: number[], to: string): string {
  const c = ctx.constant(name);
  if (c?.data) {
    ctx.defineConst(to, { ...c, shape });
    return to;
  }
  const out = ctx.define(to, ctx.dtype(name), shape, 'ONNX');
  ctx.emit('RESHAPE', [ctx.nchw(name), ctx.int32Const(`${out}_shape`, shape)], [out], { newShape: [...shape] });
  return to;
}

function emitMatMul(ctx: ImportContext, node: OnnxNode, a: string, b: string, outName: string): void {
  const as = ctx.shape(a);
  const bs = ctx.shape(b);
  if (as[as.length - 1] !== bs[bs.length - 2]) ctx.fail('shape-mismatch', `MatMul [${as}] × [${bs}]: inner dimensions differ`);
  const n = bs[bs.length - 1]!;
  const k = bs[bs.length - 2]!;
  const aT = ctx.nchw(a);
  if (ctx.isConst(b) && bs.length === 2) {
    const w = ctx.permutedFloat32Const(`${node.name}_weights`, b, [1, 0], [n, k]); // a dequantized weight keeps its quant params (axis permuted)
    const out = ctx.define(outName, 'float32', [...as.slice(0, -1), n], 'ONNX');
    ctx.emit('FULLY_CONNECTED', [aT, w], [out], { activation: 'NONE', keepNumDims: true });
    return;
  }
  const batch = broadcastShapes(as.slice(0, -2), bs.slice(0, -2));
  if (!batch) ctx.fail('shape-mismatch', `MatMul batch dims [${as}] × [${bs}] do not broadcast`);
  const out = ctx.define(outName, ctx.dtype(a), [...batch, as[as.length - 2]!, n], 'ONNX');
  ctx.emit('BATCH_MATMUL', [aT, ctx.nchw(b)], [out], { adjX: false, adjY: false });
}
