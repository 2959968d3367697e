/**
 * OneHot → ONE_HOT (depth and values constant). Negative indices count from the end (idx + depth, by
 * LESS / ADD / SELECT_V2), out-of-range ones give a row of off values as in ONNX; float indices select
 * the position they equal, a fractional one none (as onnxruntime), and are then cast to int32. A 3-D index map one-hot
 * encoded on axis 1 (a segmentation target [N, depth, H, W]) is produced on the last axis, which is
 * the output's NHWC layout: no TRANSPOSE.
 */
import type { DType } from '../../../ir/dtype.js';
import { layoutTag, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitCast } from '../lowering/emit-cast.js';

const OUT_TYPES = new Set<DType>(['float32', 'int32', 'int64']);
const INDEX_TYPES = new Set<DType>(['int32', 'int64']);
const UNSIGNED = new Set<DType>(['uint8', 'uint16', 'uint32']);

export function checkOneHot(ctx: ImportContext, node: OnnxNode): void {
  for (const [i, what] of [[1, 'depth'], [2, 'values']] as const) {
    const t = node.input(i);
    if (ctx.isRuntime(t)) ctx.fail('requires-constant-input', `OneHot ${what} (input '${t}') must be a constant`);
  }
}

export function importOneHot(ctx: ImportContext, node: OnnxNode): void {
  const idx = node.input(0);
  const is = ctx.shape(idx);
  const depthValues = ctx.requireConst(node.input(1), 'OneHot depth');
  const depth = Math.trunc(depthValues[0] ?? NaN);
  if (depthValues.length !== 1 || !(depth >= 1)) ctx.fail('invalid-model', `OneHot depth '${node.input(1)}' must hold one value ≥ 1, got [${depthValues}]`);
  const values = ctx.requireConst(node.input(2), 'OneHot values');
  if (values.length !== 2) ctx.fail('invalid-model', `OneHot values '${node.input(2)}' must hold [off, on], got ${values.length} value(s)`);
  const outType = ctx.dtype(node.input(2));
  if (!OUT_TYPES.has(outType)) ctx.fail('unsupported-dtype', `OneHot with ${outType} values: float32, int32 and int64 outputs are lowered (float16 / float64 held in float32)`);
  const rank = is.length + 1;
  const attr = node.int('axis', -1);
  const axis = attr < 0 ? attr + rank : attr;
  if (axis < 0 || axis >= rank) ctx.fail('invalid-model', `OneHot axis ${attr} is out of range for output rank ${rank}`);
  const base = `${node.name}_one_hot`;

  const shaped = (tag: string, dtype: DType) => ctx.newTensor(`${base}_${tag}`, dtype, is, layoutTag('ONNX', is.length));
  const num = (tag: string, dtype: DType, v: number) => ctx.scalarConst(`${base}_${tag}`, dtype as 'float32' | 'int32' | 'int64', dtype === 'int64' ? BigInt(v) : v);
  const step = (op: 'ADD' | 'LESS' | 'EQUAL' | 'FLOOR' | 'SELECT_V2' | 'MAXIMUM' | 'MINIMUM', ins: string[], tag: string, dtype: DType): string => {
    const t = shaped(tag, dtype);
    ctx.emit(op, ins, [t], op === 'ADD' ? { activation: 'NONE' } : {});
    return t;
  };
  /** Negative indices count from the end: idx + depth where idx < 0. */
  const fromEnd = (t: string, dtype: DType): string =>
    step('SELECT_V2', [step('LESS', [t, num('zero', dtype, 0)], 'negative', 'bool'), step('ADD', [t, num('depth', dtype, depth)], 'wrapped', dtype), t], 'from_end', dtype);
  let indices = ctx.nchw(idx);
  const inType = ctx.g.tensor(indices).dtype;
  if (inType === 'float32') {
    // as onnxruntime: a float index selects the position it equals, so a fractional one selects none
    // (→ −1); clamped into [−1, depth] so that the CAST to int32 is exact
    const wrapped = fromEnd(indices, 'float32');
    const whole = step('EQUAL', [step('FLOOR', [wrapped], 'floor', 'float32'), wrapped], 'whole', 'bool');
    const picked = step('SELECT_V2', [whole, wrapped, num('none', 'float32', -1)], 'whole_or_none', 'float32');
    const bounded = step('MINIMUM', [step('MAXIMUM', [picked, num('none_lo', 'float32', -1)], 'above', 'float32'), num('depth_hi', 'float32', depth)], 'bounded', 'float32');
    indices = shaped('indices', 'int32');
    emitCast(ctx, bounded, indices, 'float32', 'int32');
  } else {
    if (!INDEX_TYPES.has(inType)) {
      const cast = shaped('indices', 'int32');
      emitCast(ctx, indices, cast, inType, 'int32');
      indices = cast;
    }
    if (!UNSIGNED.has(inType)) indices = fromEnd(indices, ctx.g.tensor(indices).dtype);
  }
  const outShape = [...is.slice(0, axis), depth, ...is.slice(axis)];
  const channelsLast = rank === 4 && axis === 1;
  const out = ctx.define(node.outputs[0]!, outType, outShape, channelsLast ? 'NHWC' : 'ONNX');
  const scalar = (tag: string, v: number) => ctx.scalarConst(`${base}_${tag}`, outType as 'float32' | 'int32' | 'int64', outType === 'int64' ? BigInt(Math.trunc(v)) : v);
  ctx.emit('ONE_HOT', [indices, ctx.scalarConst(`${base}_depth_i32`, 'int32', depth), scalar('on', values[1]!), scalar('off', values[0]!)], [out], { axis: channelsLast ? -1 : axis });
}
