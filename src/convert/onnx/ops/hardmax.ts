/**
 * Hardmax: 1 at the first maximum along the axis, 0 elsewhere, with GPU-delegate ops only:
 *   e = CAST(EQUAL(x, REDUCE_MAX(x)))   (1 at every maximum)
 *   y = e · RELU(2 − CUMSUM(e))         (the running count is 1 at the first maximum, ≥ 2 after it)
 * Opset ≥ 13: along the one axis, in place on NHWC-held values. Opset < 13: the input is coerced to
 * 2-D at `axis` (the trailing dims flattened) by a RESHAPE and back.
 */
import { numElements } from '../../../ir/tensor.js';
import type { Layout } from '../../../ir/tensor.js';
import type { Attrs } from '../../../ir/node.js';
import type { BuiltinOpName } from '../../../tflite/schema/enums.js';
import { layoutTag, primaryOf, type ImportContext } from '../context.js';
import { nhwcAxis } from '../layout.js';
import type { OnnxNode } from '../node.js';

/** Opset < 13 (`coerced` to 2-D at axis, default 1) or ≥ 13 (the one axis, default −1). */
export const hardmax = (coerced: boolean) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const rank = xs.length;
  if (ctx.dtype(x) !== 'float32') ctx.fail('unsupported-dtype', `Hardmax of ${ctx.dtype(x)} '${x}': ONNX defines it on float types only`);
  const attr = node.int('axis', coerced ? 1 : -1);
  const axis = attr < 0 ? attr + rank : attr;
  if (axis < 0 || axis >= rank) ctx.fail('invalid-model', `Hardmax axis ${attr} is out of range for rank ${rank}`);
  const outName = node.outputs[0]!;
  const coerce = coerced && axis !== rank - 1;
  const { tensor, form } = coerce ? { tensor: ctx.onnxOrder(x), form: 'ONNX' as const } : primaryOf(ctx, x);
  const src = coerce ? ctx.reshape(tensor, [numElements(xs.slice(0, axis)), numElements(xs.slice(axis))], 'plain', `${node.name}_2d`) : tensor;
  const irAxis = coerce ? 1 : form === 'NHWC' && rank === 4 ? nhwcAxis(axis) : axis;
  const shape = ctx.irShape(src);
  const layout: Layout = coerce ? 'plain' : layoutTag(form, rank);
  let k = 0;
  const op = (code: BuiltinOpName, ins: string[], attrs: Attrs = {}, dtype: 'float32' | 'bool' = 'float32', s = shape): string => {
    const t = ctx.newTensor(`${node.name}_hardmax${k++}`, dtype, s, layout);
    ctx.emit(code, ins, [t], attrs);
    return t;
  };
  const axisConst = ctx.int32Const(`${node.name}_axis`, [irAxis]);
  const max = op('REDUCE_MAX', [src, axisConst], { keepDims: true }, 'float32', shape.map((d, i) => (i === irAxis ? 1 : d)));
  const isMax = op('CAST', [op('EQUAL', [src, max], {}, 'bool')], { inDataType: 'bool', outDataType: 'float32' });
  const count = op('CUMSUM', [isMax, ctx.scalarConst(`${node.name}_cumsum_axis`, 'int32', irAxis)], { exclusive: false, reverse: false });
  const first = op('RELU', [op('SUB', [ctx.scalarConst(`${node.name}_two`, 'float32', 2), count], { activation: 'NONE' })]);
  const out = coerce ? op('MUL', [isMax, first], { activation: 'NONE' }) : ctx.define(outName, 'float32', xs, form);
  if (!coerce) {
    ctx.emit('MUL', [isMax, first], [out], { activation: 'NONE' });
    return;
  }
  const back = ctx.define(outName, 'float32', xs, 'ONNX');
  ctx.emit('RESHAPE', [out, ctx.int32Const(`${back}_shape`, xs)], [back], { newShape: [...xs] });
};
