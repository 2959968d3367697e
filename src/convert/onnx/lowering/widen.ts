/**
 * Integer types TFLite has no plain kernel for, carried in one it has:
 * - widenTensor: narrow or unsigned 32-bit integers widened exactly to int32 / int64 (CAST);
 * - int64Bits / bitsAsUint64: uint64 ↔ int64 by reinterpreting the bits (BITCAST: LiteRT's CAST kernel
 *   has no uint64 case). Two's complement Add / Sub / Mul modulo 2^64 give the same bits as unsigned
 *   ones, and LiteRT's int64 ADD / SUB / MUL wrap (signed overflow is undefined in C++, but the
 *   reference kernels compile to wrapping adds / multiplies; tests/convert/onnx/uint64.test.ts checks
 *   LiteRT.js at 2^63 and 2^64 − 1);
 * - unsignedOrderKey: int64 bits with the top bit flipped (x + INT64_MIN, wrapping), whose signed
 *   order is the unsigned order of the uint64 values (a <u b ⇔ key(a) <s key(b)).
 */
import type { DType } from '../../../ir/dtype.js';
import type { ImportContext } from '../context.js';

export function widenTensor(ctx: ImportContext, tensor: string, to: 'int32' | 'int64'): string {
  const t = ctx.g.tensor(tensor);
  if (t.data) {
    const values = Array.from(t.data as ArrayLike<number | bigint>);
    const data = to === 'int64' ? BigInt64Array.from(values, (v) => BigInt(v)) : Int32Array.from(values, Number);
    return ctx.constTensor(`${tensor}_${to}`, to, t.shape, data, t.layout);
  }
  const out = ctx.newTensor(`${tensor}_${to}`, to, t.shape, t.layout);
  ctx.emit('CAST', [tensor], [out], { inDataType: t.dtype as DType, outDataType: to });
  return out;
}

/** The int64 with the same 64 bits as uint64 IR tensor `tensor`: a constant reinterpreted once, a runtime tensor BITCAST. */
export function int64Bits(ctx: ImportContext, tensor: string): string {
  const t = ctx.g.tensor(tensor);
  if (t.dtype === 'int64') return tensor;
  if (t.data) {
    const data = BigInt64Array.from(t.data as ArrayLike<bigint | number>, (v) => BigInt.asIntN(64, BigInt(v)));
    return ctx.constTensor(`${tensor}_bits`, 'int64', t.shape, data, t.layout);
  }
  // a uint64 that is itself a BITCAST of int64 bits (a previous uint64 op's result): those bits
  const producer = ctx.g.producerOf(tensor);
  if (producer?.op === 'BITCAST' && ctx.g.tensor(producer.inputs[0]!).dtype === 'int64') return producer.inputs[0]!;
  const done = reuse(ctx, tensor, 'BITCAST');
  if (done) return done;
  const out = ctx.newTensor(`${tensor}_bits`, 'int64', t.shape, t.layout);
  ctx.emit('BITCAST', [tensor], [out]);
  return out;
}

/** The int64 output of an `op` node already emitted on `tensor` alone (one BITCAST / key per value, not per consumer). */
function reuse(ctx: ImportContext, tensor: string, op: 'BITCAST' | 'ADD', second?: (t: string) => boolean): string | undefined {
  const n = ctx.g.consumersOf(tensor).find((c) => c.op === op && c.inputs[0] === tensor && (second ? c.inputs.length === 2 && second(c.inputs[1]!) : c.inputs.length === 1));
  const out = n?.outputs[0];
  return out && ctx.g.tensor(out).dtype === 'int64' ? out : undefined;
}

/** int64 IR tensor `bits` reinterpreted into the (existing) uint64 IR tensor `out`. */
export function bitsAsUint64(ctx: ImportContext, bits: string, out: string): void {
  ctx.emit('BITCAST', [bits], [out]);
}

const INT64_MIN = -(2n ** 63n);

/** The order key of one uint64 value, given as the value or as its int64 bits (the same result): its top bit flipped. */
export const orderKey = (v: bigint): bigint => BigInt.asIntN(64, v + INT64_MIN);

/** int64 bits `bits` (of uint64 values) with the top bit flipped: signed order of the keys = unsigned order of the values. Its own inverse. */
export function unsignedOrderKey(ctx: ImportContext, bits: string): string {
  const t = ctx.g.tensor(bits);
  if (t.data) return ctx.constTensor(`${bits}_key`, 'int64', t.shape, (t.data as BigInt64Array).map(orderKey), t.layout);
  const isMin = (c: string) => {
    const d = ctx.g.tensor(c).data;
    return ctx.g.tensor(c).shape.length === 0 && d instanceof BigInt64Array && d[0] === INT64_MIN;
  };
  const done = reuse(ctx, bits, 'ADD', isMin);
  if (done) return done;
  const min = ctx.scalarConst(`${bits}_int64_min`, 'int64', INT64_MIN);
  const out = ctx.newTensor(`${bits}_key`, 'int64', t.shape, t.layout);
  ctx.emit('ADD', [bits, min], [out], { activation: 'NONE' });
  return out;
}
