/**
 * IR tensor `tensor` in a wider integer type, exactly: a constant is converted once, a runtime tensor
 * gets a CAST. Used where TFLite has no plain kernel for a narrow or unsigned integer type.
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
