/** MatMul: constant 2-D B → FULLY_CONNECTED (weights Bᵀ, keep_num_dims); otherwise BATCH_MATMUL. */
import { broadcastShapes } from '../../../ir/verify.js';
import { permuteData } from '../layout.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

export function importMatMul(ctx: ImportContext, node: OnnxNode): void {
  const [a, b] = [node.input(0), node.input(1)];
  const as = ctx.shape(a);
  const bs = ctx.shape(b);
  if (as.length < 2 || bs.length < 2) ctx.fail('unsupported-attribute', `MatMul with 1-D operands ([${as}] × [${bs}]) is not supported`);
  if (as[as.length - 1] !== bs[bs.length - 2]) ctx.fail('shape-mismatch', `MatMul [${as}] × [${bs}]: inner dimensions differ`);
  const bData = ctx.constFloat32(b);
  const n = bs[bs.length - 1]!;
  const k = bs[bs.length - 2]!;
  const aT = ctx.nchw(a);
  if (bData && bs.length === 2) {
    const w = permuteData('float32', bData, bs, [1, 0]) as Float32Array;
    const out = ctx.define(node.outputs[0]!, 'float32', [...as.slice(0, -1), n], 'ONNX');
    ctx.emit('FULLY_CONNECTED', [aT, ctx.float32Const(`${node.name}_weights`, w, [n, k])], [out], { activation: 'NONE', keepNumDims: true });
    return;
  }
  const batch = broadcastShapes(as.slice(0, -2), bs.slice(0, -2));
  if (!batch) ctx.fail('shape-mismatch', `MatMul batch dims [${as}] × [${bs}] do not broadcast`);
  const out = ctx.define(node.outputs[0]!, ctx.dtype(a), [...batch, as[as.length - 2]!, n], 'ONNX');
  ctx.emit('BATCH_MATMUL', [aT, ctx.nchw(b)], [out], { adjX: false, adjY: false });
}
