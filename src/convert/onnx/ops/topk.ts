/**
 * TopK → TOPK_V2 (k constant), which works on the last IR axis: an NHWC-held value over the channels
 * needs nothing, other axes are moved last and back. TOPK_V2 returns the largest k sorted, equal values
 * by lower index first (as ONNX); largest = 0 runs it on −x and negates the values back (×−1 is exact
 * and keeps the order of ties). Indices come out int32 and are CAST to ONNX's int64. sorted = 0 leaves
 * the order to the implementation: sorted is one. TOPK_V2 runs on the CPU (the GPU delegate has no
 * parser for it).
 */
import { layoutTag, primaryOf, type ImportContext } from '../context.js';
import { nhwcAxis } from '../layout.js';
import type { OnnxNode } from '../node.js';
import { emitCast } from '../lowering/emit-cast.js';

const TAKES = new Set(['float32', 'int32', 'int64']);

/** Opset 1–9: k an attribute, largest only; 10: k an input; 11+: also the `largest` attribute. */
export interface TopKVariant { kInput: boolean; largestAttr: boolean }
export const TOPK_1: TopKVariant = { kInput: false, largestAttr: false };
export const TOPK_10: TopKVariant = { kInput: true, largestAttr: false };
export const TOPK_11: TopKVariant = { kInput: true, largestAttr: true };

export function checkTopKInput(ctx: ImportContext, node: OnnxNode): void {
  const k = node.input(1);
  if (ctx.isRuntime(k)) ctx.fail('requires-constant-input', `TopK k (input '${k}') must be a constant: TFLite tensors have static shapes`);
}

export const topK = (v: TopKVariant) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const rank = xs.length;
  const dtype = ctx.dtype(x);
  if (!TAKES.has(dtype)) ctx.fail('unsupported-dtype', `TopK of ${dtype} '${x}': TOPK_V2 is used for float32, int32 and int64 (float16 / float64 held in float32)`);
  const attr = node.int('axis', -1);
  const axis = attr < 0 ? attr + rank : attr;
  if (axis < 0 || axis >= rank) ctx.fail('invalid-model', `TopK axis ${attr} is out of range for rank ${rank}`);
  const k = v.kInput ? ctx.requireConst(node.input(1), 'TopK k')[0] : node.int('k', -1);
  if (k === undefined || !Number.isInteger(k) || k < 1 || k > xs[axis]!) ctx.fail('invalid-model', `TopK k = ${k} must be in 1…${xs[axis]} (the size of axis ${axis} of '${x}' [${xs}])`);
  const largest = v.largestAttr ? node.int('largest', 1) === 1 : true;

  const { tensor, form } = primaryOf(ctx, x);
  const nhwc = form === 'NHWC' && rank === 4;
  const src = nhwc ? tensor : ctx.nchw(x);
  const outForm = nhwc ? 'NHWC' : 'ONNX';
  const irAxis = nhwc ? nhwcAxis(axis) : axis;
  const last = irAxis === rank - 1;
  const perm = [...Array(rank).keys()].filter((a) => a !== irAxis).concat(irAxis);
  const inv = perm.map((_, i) => perm.indexOf(i));
  const moved = last ? src : ctx.permute(src, perm, 'plain', `${node.name}_axis_last`);
  const irType = ctx.g.tensor(src).dtype;
  const negate = (t: string, base: string): string => {
    const r = ctx.newTensor(base, irType, ctx.irShape(t), ctx.g.tensor(t).layout);
    ctx.emit('MUL', [t, ctx.scalarConst(`${base}_minus_one`, irType === 'int64' ? 'int64' : irType === 'int32' ? 'int32' : 'float32', irType === 'int64' ? -1n : -1)], [r], { activation: 'NONE' });
    return r;
  };
  const input = largest ? moved : negate(moved, `${node.name}_negated`);
  const shape = [...ctx.irShape(moved).slice(0, -1), k];
  const layout = last ? layoutTag(outForm, rank) : 'plain';
  let values = ctx.newTensor(`${node.name}_values`, irType, shape, layout);
  const idx32 = ctx.newTensor(`${node.name}_indices_int32`, 'int32', shape, layout);
  ctx.emit('TOPK_V2', [input, ctx.scalarConst(`${node.name}_k`, 'int32', k)], [values, idx32]);
  if (!largest) values = negate(values, `${node.name}_smallest`);
  const idx64 = ctx.newTensor(`${node.name}_indices`, 'int64', shape, layout);
  emitCast(ctx, idx32, idx64, 'int32', 'int64');
  const onnxShape = xs.map((d, i) => (i === axis ? k : d));
  const finish = (t: string, name: string | undefined, dt: typeof dtype): void => {
    if (!name) return;
    const back = last ? t : ctx.permute(t, inv, layoutTag(outForm, rank), name);
    ctx.bind(name, back, dt, onnxShape, outForm);
  };
  finish(values, node.outputs[0], dtype);
  finish(idx64, node.outputs[1], 'int64');
};
