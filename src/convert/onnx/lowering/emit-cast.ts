/**
 * Emitting a runtime CAST, for every importer that needs one:
 * - emitCast: IR tensor → IR tensor. LiteRT's CAST kernel has no uint64 case ("Type UINT64 is
 *   unsupported by op Cast"): integers and bool reach uint64 through int64 (sign- or zero-extended) and
 *   a BITCAST, and leave it as its int64 bits (BITCAST) and a CAST — the same bits as ONNX's integer
 *   casts, which wrap modulo 2^k. uint64 ↔ float has no exact route (int64 cannot hold 2^63 … 2^64 − 1,
 *   and converting them in two roundings is not correctly rounded): refused.
 * - castValue: ONNX value → a new ONNX value of another dtype, in the source's own form (NHWC or ONNX).
 */
import type { DType } from '../../../ir/dtype.js';
import { primaryOf, type ImportContext } from '../context.js';
import { bitsAsUint64, int64Bits, widenTensor } from './widen.js';

const FLOATS: ReadonlySet<DType> = new Set<DType>(['float32', 'float16', 'float64']);

/** CAST of IR tensor `tensor` (dtype `from`) into the existing IR tensor `out` (dtype `to`). */
export function emitCast(ctx: ImportContext, tensor: string, out: string, from: DType, to: DType): void {
  if (from !== 'uint64' && to !== 'uint64') {
    ctx.emit('CAST', [tensor], [out], { inDataType: from, outDataType: to });
    return;
  }
  if (FLOATS.has(from) || FLOATS.has(to)) {
    ctx.fail('unsupported-dtype', `Cast from ${from} to ${to}: LiteRT's CAST has no uint64 kernel, and uint64 ↔ float has no exact route through int64 (values from 2^63 up)`);
  }
  if (from === 'uint64') {
    if (to === 'int64') return void ctx.emit('BITCAST', [tensor], [out]);
    ctx.emit('CAST', [int64Bits(ctx, tensor)], [out], { inDataType: 'int64', outDataType: to });
    return;
  }
  bitsAsUint64(ctx, from === 'int64' ? tensor : widenTensor(ctx, tensor, 'int64'), out);
}

/** ONNX value `name` cast to `to` as the new ONNX value `as` (kept in `name`'s form); returns `as`. */
export function castValue(ctx: ImportContext, name: string, to: DType, as: string): string {
  const { tensor, form } = primaryOf(ctx, name);
  const out = ctx.define(as, to, ctx.shape(name), form);
  emitCast(ctx, tensor, out, ctx.g.tensor(tensor).dtype, ctx.g.tensor(out).dtype);
  return as;
}
