/**
 * Squeeze / Unsqueeze → RESHAPE (never SQUEEZE / EXPAND_DIMS: the GPU delegate has no parser for
 * them). Axes are an attribute before opset 13 and a constant input from 13 (one table row each,
 * lowering/axes.ts). The RESHAPE reads the
 * value in ONNX element order (emitReshape); an NHWC activation whose moved axes are all size 1
 * needs no TRANSPOSE, and the sink-transposes pass removes the rest where the layout allows.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import type { AxesSource } from '../lowering/axes.js';
import { emitReshape } from '../lowering/emit-reshape.js';

export const squeeze = (axesOf: AxesSource) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const rank = xs.length;
  const given = axesOf(ctx, node);
  const axes = given ? given.map((a) => (a < 0 ? a + rank : a)) : xs.flatMap((d, i) => (d === 1 ? [i] : []));
  for (const a of axes) {
    if (a < 0 || a >= rank) ctx.fail('invalid-model', `Squeeze axis ${a} is out of range for rank ${rank}`);
    if (xs[a] !== 1) ctx.fail('shape-mismatch', `Squeeze axis ${a} has length ${xs[a]}, not 1 (input shape [${xs}])`);
  }
  emitReshape(ctx, x, xs.filter((_, i) => !axes.includes(i)), node.outputs[0]!);
};

export const unsqueeze = (axesOf: AxesSource) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const given = axesOf(ctx, node);
  if (!given) ctx.fail('invalid-model', `Unsqueeze needs axes`);
  const rank = xs.length + given.length;
  const axes = given.map((a) => (a < 0 ? a + rank : a));
  if (axes.some((a) => a < 0 || a >= rank) || new Set(axes).size !== axes.length) {
    ctx.fail('invalid-model', `Unsqueeze axes [${given}] are out of range or repeated for output rank ${rank}`);
  }
  const rest = [...xs];
  const shape = Array.from({ length: rank }, (_, i) => (axes.includes(i) ? 1 : rest.shift()!));
  emitReshape(ctx, x, shape, node.outputs[0]!);
};
