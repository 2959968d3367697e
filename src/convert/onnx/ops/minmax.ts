/**
 * Min / Max (variadic, numpy broadcasting) → a chain of MINIMUM / MAXIMUM; one input is the input
 * itself. uint16 / uint32 (no TFLite kernel) are compared as int64 — exact — and cast back.
 */
import type { DType } from '../../../ir/dtype.js';
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';

const VIA_INT64: ReadonlySet<DType> = new Set<DType>(['uint16', 'uint32']);

/** ONNX value `name` widened to int64 under a new value name. */
function asInt64(ctx: ImportContext, node: OnnxNode, name: string, k: number): string {
  const wide = `${node.name}__in${k}_int64`;
  const c = ctx.constant(name);
  if (c?.data) {
    ctx.defineConst(wide, { dtype: 'int64', shape: [...c.shape], data: BigInt64Array.from(Array.from(c.data as ArrayLike<number>, (v) => BigInt(v))) });
    return wide;
  }
  const { tensor, form } = primaryOf(ctx, name);
  ctx.emit('CAST', [tensor], [ctx.define(wide, 'int64', ctx.shape(name), form)], { inDataType: ctx.dtype(name), outDataType: 'int64' });
  return wide;
}

export function minMax(op: 'MINIMUM' | 'MAXIMUM') {
  return (ctx: ImportContext, node: OnnxNode): void => {
    let ins = node.inputs.filter((i) => i !== '');
    const outName = node.outputs[0]!;
    if (ins.length === 0) ctx.fail('invalid-model', `${node.opType} has no inputs`);
    if (ins.length === 1) return ctx.alias(outName, ins[0]!);
    const dtype = ctx.dtype(ins[0]!);
    const widen = VIA_INT64.has(dtype);
    if (widen) ins = ins.map((n, k) => asInt64(ctx, node, n, k));
    const last = widen ? `${node.name}__result_int64` : outName;
    let acc = ins[0]!;
    for (let k = 1; k < ins.length; k++) {
      const out = k === ins.length - 1 ? last : `${node.name}__${op.toLowerCase()}_${k}`;
      emitBinary(ctx, op, acc, ins[k]!, out);
      acc = out;
    }
    if (!widen) return;
    const { tensor, form } = primaryOf(ctx, last);
    ctx.emit('CAST', [tensor], [ctx.define(outName, dtype, ctx.shape(last), form)], { inDataType: 'int64', outDataType: dtype });
  };
}
