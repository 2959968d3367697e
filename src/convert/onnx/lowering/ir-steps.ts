/**
 * A step builder for lowerings written directly on IR tensors (div-uint32.ts, div-uint64.ts): each step
 * emits one TFLite op into a fresh tensor named after the result `out`, shaped by numpy broadcasting of
 * its inputs and laid out like `out` when it has `out`'s rank ('plain' otherwise).
 */
import type { DType } from '../../../ir/dtype.js';
import type { Layout } from '../../../ir/tensor.js';
import type { Attrs } from '../../../ir/node.js';
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import type { ImportContext } from '../context.js';
import { broadcastShapes } from '../../../ir/ndarray.js';

export interface IrSteps {
  /** `code` over IR tensors `ins` into a new tensor of `dtype`. */
  op(code: BuiltinOpName, ins: string[], dtype: DType, attrs?: Attrs): string;
  /** ADD / SUB / MUL / DIV without a fused activation. */
  arith(code: 'ADD' | 'SUB' | 'MUL' | 'DIV', x: string, y: string, dtype: DType): string;
  /** CAST of `x` to `to`. */
  cast(x: string, to: DType): string;
  /** A rank-0 constant. */
  scalar(dtype: 'int32' | 'int64' | 'float32', v: number | bigint): string;
}

/** Steps towards IR tensor `out`; `tag` names the intermediates (`${out}_${tag}${k}`). */
export function irSteps(ctx: ImportContext, out: string, tag: string): IrSteps {
  const o = ctx.g.tensor(out);
  const layoutOf = (shape: number[]): Layout => (shape.length === o.shape.length ? o.layout : 'plain');
  let k = 0;
  const op = (code: BuiltinOpName, ins: string[], dtype: DType, attrs: Attrs = {}): string => {
    const shape = ins.map((t) => ctx.irShape(t)).reduce((s, t) => broadcastShapes(s, t) ?? ctx.fail('shape-mismatch', `${code} operands [${s}] and [${t}] do not broadcast`));
    const res = ctx.newTensor(`${out}_${tag}${k++}`, dtype, shape, layoutOf(shape));
    ctx.emit(code, ins, [res], attrs);
    return res;
  };
  return {
    op,
    arith: (code, x, y, dtype) => op(code, [x, y], dtype, { activation: 'NONE' }),
    cast: (x, to) => op('CAST', [x], to, { inDataType: ctx.g.tensor(x).dtype, outDataType: to }),
    scalar: (dtype, v) => ctx.scalarConst(`${out}_${dtype}_${v}`, dtype, v),
  };
}
