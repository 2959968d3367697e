/**
 * BatchNormalization (inference) → MUL by scale = γ/√(var+ε) and ADD shift = β − mean·scale, both
 * constants broadcast per channel. The conv-folding pass merges them into a preceding conv.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';

const PARAMS = ['scale', 'bias', 'mean', 'var'];
const constRequired = (node: OnnxNode, i: number) => `BatchNormalization ${PARAMS[i - 1]} (input '${node.input(i)}') must be a constant`;

/** Shape-independent: inference mode only, constant statistics. */
export function checkBatchNorm(ctx: ImportContext, node: OnnxNode): void {
  if (node.outputs.slice(1).some((o) => o)) ctx.fail('unsupported-attribute', 'BatchNormalization in training mode (running mean/var outputs) is not supported');
  if (node.int('spatial', 1) !== 1) ctx.fail('unsupported-attribute', 'BatchNormalization spatial=0 (per-element statistics, opset < 9) is not supported');
  if (node.int('training_mode', 0)) ctx.fail('unsupported-attribute', 'BatchNormalization training_mode=1 is not supported');
  for (let i = 1; i <= 4; i++) if (!node.input(i) || ctx.isRuntime(node.input(i))) ctx.fail('requires-constant-input', constRequired(node, i));
}

/** Runs after checkBatchNorm (the op table's check). */
export function importBatchNorm(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const get = (i: number) => {
    const v = ctx.constFloat32(node.input(i));
    if (!v) ctx.fail('requires-constant-input', constRequired(node, i));
    return v;
  };
  const gamma = get(1);
  const beta = get(2);
  const mean = get(3);
  const variance = get(4);
  const eps = node.float('epsilon', 1e-5);
  const xs = ctx.shape(x);
  const c = xs[1]!;
  const scale = new Float32Array(c);
  const shift = new Float32Array(c);
  for (let i = 0; i < c; i++) {
    const s = gamma[i]! / Math.sqrt(variance[i]! + eps);
    scale[i] = s;
    shift[i] = beta[i]! - mean[i]! * s;
  }
  // per-channel constants shaped to broadcast over ONNX axis 1: [C, 1, …]
  const shape = [c, ...new Array<number>(Math.max(0, xs.length - 2)).fill(1)];
  const scaleName = ctx.g.uniqueName(`${node.name}_scale`);
  const shiftName = ctx.g.uniqueName(`${node.name}_shift`);
  ctx.defineConst(scaleName, { dtype: 'float32', shape, data: scale });
  ctx.defineConst(shiftName, { dtype: 'float32', shape, data: shift });
  const mid = `${node.name}__scaled`;
  emitBinary(ctx, 'MUL', x, scaleName, mid);
  emitBinary(ctx, 'ADD', mid, shiftName, node.outputs[0]!);
}
