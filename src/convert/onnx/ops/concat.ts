/**
 * Concat → CONCATENATION; the axis follows the layout (NHWC when any runtime input is NHWC); empty inputs
 * are dropped, and when every input is empty along the axis the result is an empty constant (empty.ts).
 */
import { nhwcAxis } from '../layout.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { defineEmptyResult } from '../empty.js';

/** Every input is empty along the axis: so is the result, an empty constant (empty.ts). */
function concatOfEmpty(ctx: ImportContext, node: OnnxNode, all: string[], axis: number): void {
  const xs = ctx.shape(all[0]!);
  const bad = all.find((i) => ctx.shape(i).length !== xs.length || ctx.shape(i).some((d, k) => k !== axis && d !== xs[k]));
  if (bad) ctx.fail('shape-mismatch', `Concat on axis ${axis}: input '${bad}' has shape [${ctx.shape(bad)}], '${all[0]}' has [${xs}]`);
  defineEmptyResult(ctx, node.outputs[0]!, ctx.dtype(all[0]!), xs);
}

export function importConcat(ctx: ImportContext, node: OnnxNode): void {
  const all = node.inputs.filter((i) => i);
  const rank = ctx.rank(all[0]!);
  let axis = node.int('axis', 1);
  if (axis < 0) axis += rank;
  // empty inputs (a 0-length Split part) add nothing; TFLite tensors cannot be empty
  const ins = all.filter((i) => ctx.shape(i)[axis] !== 0);
  if (!ins.length) return concatOfEmpty(ctx, node, all, axis);
  const xs = ctx.shape(ins[0]!);
  if (ins.length === 1 && ctx.has(ins[0]!)) return ctx.alias(node.outputs[0]!, ins[0]!);
  for (const i of ins) {
    const s = ctx.shape(i);
    if (s.length !== rank || s.some((d, k) => k !== axis && d !== xs[k])) ctx.fail('shape-mismatch', `Concat on axis ${axis}: input '${i}' has shape [${s}], '${ins[0]}' has [${xs}]`);
  }
  const shape = [...xs];
  shape[axis] = ins.reduce((s, i) => s + ctx.shape(i)[axis]!, 0);
  const nhwc = rank === 4 && ins.some((i) => !ctx.isConst(i) && ctx.isNhwc(i));
  const tensors = ins.map((i) => (nhwc ? ctx.nhwc(i) : ctx.nchw(i)));
  const out = ctx.define(node.outputs[0]!, ctx.dtype(ins[0]!), shape, nhwc ? 'NHWC' : 'ONNX');
  ctx.emit('CONCATENATION', tensors, [out], { axis: nhwc ? nhwcAxis(axis) : axis, activation: 'NONE' });
}
