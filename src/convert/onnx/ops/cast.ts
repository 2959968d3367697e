/**
 * Cast: folded for constants (e.g. float16 weights → float32), CAST for runtime tensors. float16 and
 * float64 are held in float32 (a Cast between them and float32 is the value itself); uint64 goes
 * through its int64 bits (emit-cast.ts).
 */
import { allocTyped, halfToFloat, floatToHalf, type DType } from '../../../ir/dtype.js';
import { onnxDType } from '../tensor-data.js';
import { heldDType } from '../float64.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitCast } from '../lowering/emit-cast.js';

function convert(from: DType, to: DType, data: ArrayLike<number | bigint>): ReturnType<typeof allocTyped> {
  const out = allocTyped(to, data.length);
  for (let i = 0; i < data.length; i++) {
    let v = from === 'float16' ? halfToFloat(Number(data[i])) : Number(data[i]);
    if (to === 'float16') v = floatToHalf(v);
    else if (!(to === 'float32' || to === 'float64')) v = Math.trunc(v);
    if (to === 'int64' || to === 'uint64') (out as BigInt64Array)[i] = BigInt(v);
    else (out as Float32Array)[i] = v;
  }
  return out;
}

function target(ctx: ImportContext, node: OnnxNode): DType {
  const to = onnxDType(node.int('to', 0));
  if (!to || to === 'string') ctx.fail('unsupported-attribute', `Cast to ONNX type ${node.int('to', 0)} is not supported`);
  return to;
}

/** Shape-independent: the target type is one mai supports. */
export function checkCast(ctx: ImportContext, node: OnnxNode): void {
  target(ctx, node);
}

export function importCast(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const to = target(ctx, node);
  const c = ctx.constant(x);
  if (c?.data) {
    ctx.defineConst(node.outputs[0]!, { dtype: to, shape: c.shape, data: convert(c.dtype, to, c.data as ArrayLike<number>) });
    return;
  }
  const from = ctx.dtype(x);
  // runtime float16 and float64 are held as float32 (ctx.define), so a Cast between them and float32 is a no-op
  const held = to === 'float16' ? 'float32' : heldDType(to);
  if (from === held) return ctx.alias(node.outputs[0]!, x);
  const { tensor, form } = primaryOf(ctx, x);
  const out = ctx.define(node.outputs[0]!, held, ctx.shape(x), form);
  emitCast(ctx, tensor, out, from, held); // (uint64 through int64 bits: emit-cast.ts)
}
