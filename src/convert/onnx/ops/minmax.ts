/**
 * Min / Max (variadic, numpy broadcasting) → a chain of MINIMUM / MAXIMUM; one input is the input
 * itself. Types without a TFLite kernel are compared as int64 keys, exactly, and mapped back:
 * uint16 / uint32 widened (CAST back), uint64 as its int64 bits with the top bit flipped (signed order
 * of the keys = unsigned order; flipping again and a BITCAST give the uint64 back).
 */
import type { DType } from '../../../ir/dtype.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';
import { bitsAsUint64, int64Bits, orderKey, unsignedOrderKey, widenTensor } from '../lowering/widen.js';

const VIA_INT64: ReadonlySet<DType> = new Set<DType>(['uint16', 'uint32', 'uint64']);

/** The int64 key of IR tensor `tensor` (constants converted once). */
function keyOf(ctx: ImportContext, tensor: string, dtype: DType): string {
  return dtype === 'uint64' ? unsignedOrderKey(ctx, int64Bits(ctx, tensor)) : widenTensor(ctx, tensor, 'int64');
}

/** ONNX value `name` as int64 keys under a new value name, in the value's own form. */
function asKey(ctx: ImportContext, node: OnnxNode, name: string, k: number, dtype: DType): string {
  const key = `${node.name}__in${k}_int64`;
  const c = ctx.constant(name);
  if (c?.data) {
    // the key of an unsigned value u is u itself, or for uint64 its order key (keyOf's, computed here)
    const data = BigInt64Array.from(c.data as ArrayLike<number | bigint>, (v) => (dtype === 'uint64' ? orderKey(BigInt(v)) : BigInt(v)));
    ctx.defineConst(key, { dtype: 'int64', shape: [...c.shape], data });
    return key;
  }
  const { tensor, form } = primaryOf(ctx, name);
  ctx.bind(key, keyOf(ctx, tensor, dtype), 'int64', ctx.shape(name), form);
  return key;
}

export function minMax(op: 'MINIMUM' | 'MAXIMUM') {
  return (ctx: ImportContext, node: OnnxNode): void => {
    let ins = node.inputs.filter((i) => i !== '');
    const outName = node.outputs[0]!;
    if (ins.length === 0) ctx.fail('invalid-model', `${node.opType} has no inputs`);
    if (ins.length === 1) return ctx.alias(outName, ins[0]!);
    const dtype = ctx.dtype(ins[0]!);
    const widen = VIA_INT64.has(dtype);
    if (widen) ins = ins.map((n, k) => asKey(ctx, node, n, k, dtype));
    const last = widen ? `${node.name}__result_int64` : outName;
    let acc = ins[0]!;
    for (let k = 1; k < ins.length; k++) {
      const out = k === ins.length - 1 ? last : `${node.name}__${op.toLowerCase()}_${k}`;
      emitBinary(ctx, op, acc, ins[k]!, out);
      acc = out;
    }
    if (!widen) return;
    const { tensor, form } = primaryOf(ctx, last);
    const out = ctx.define(outName, dtype, ctx.shape(last), form);
    if (dtype === 'uint64') return bitsAsUint64(ctx, unsignedOrderKey(ctx, tensor), out);
    ctx.emit('CAST', [tensor], [out], { inDataType: 'int64', outDataType: dtype });
  };
}
