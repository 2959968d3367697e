/**
 * BatchNormalization, inference → MUL by scale = γ/√(var+ε) and ADD shift = β − mean·scale, both
 * constants broadcast per channel. The conv-folding pass merges them into a preceding conv.
 *
 * training_mode=1 (opset 14+) → the batch statistics, decomposed like InstanceNorm (normalization.ts):
 *   μ = mean of x over every axis but the channel axis 1     σ² = mean((x − μ)²)  (population variance)
 *   Y = (x − μ)·rsqrt(σ² + ε)·γ + β
 *   running_mean = input_mean·momentum + μ·(1 − momentum)    running_var = input_var·momentum + σ²·(1 − momentum)
 * as the ONNX spec and its reference (numpy `x.var`, biased) define them; onnxruntime agrees. The
 * statistics are reduced on a 4-D view [1, N, S, C] (NHWC activations, or S = 1) or [1, N, C, S]
 * (S = the spatial size), so no MEAN reduces a batch axis (the GPU delegate's MEAN over the batch axis is
 * wrong, see normalization.ts); with N = 1 a 4-D activation is reduced in place over its spatial axes.
 */
import { primaryOf, type ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';
import { normalize } from './normalization.js';
import { emitReshape } from '../lowering/emit-reshape.js';

const PARAMS = ['scale', 'bias', 'mean', 'var'];
const constRequired = (node: OnnxNode, i: number) => `BatchNormalization ${PARAMS[i - 1]} (input '${node.input(i)}') must be a constant`;

const isTraining = (node: OnnxNode) => node.int('training_mode', 0) !== 0;

function checkParams(ctx: ImportContext, node: OnnxNode): void {
  for (let i = 1; i <= 4; i++) if (!node.input(i) || ctx.isRuntime(node.input(i))) ctx.fail('requires-constant-input', constRequired(node, i));
}

/** Shape-independent (opsets 1–13, inference only): constant parameters, no extra outputs (6–13's training outputs), spatial = 1. */
export function checkBatchNorm(ctx: ImportContext, node: OnnxNode): void {
  const extra = node.outputs.slice(1).some((o) => o);
  if (extra) ctx.fail('unsupported-attribute', `BatchNormalization '${node.name}' with mean/var/saved_mean/saved_var outputs (opset ${ctx.opset} < 14 training outputs) is not supported; opset 14+ training_mode=1 is`);
  if (node.int('spatial', 1) !== 1) ctx.fail('unsupported-attribute', 'BatchNormalization spatial=0 (per-element statistics, opset < 9) is not supported');
  checkParams(ctx, node);
}

/** Shape-independent (opset 14+): constant parameters; running mean/var outputs only with training_mode = 1. */
export function checkBatchNormTraining(ctx: ImportContext, node: OnnxNode): void {
  const extra = node.outputs.slice(1).some((o) => o);
  if (extra && !isTraining(node)) ctx.fail('invalid-model', `BatchNormalization '${node.name}' has running mean/var outputs but training_mode=0 (the spec makes them invalid)`);
  checkParams(ctx, node);
}

/** Opset 14+: training_mode = 1 normalizes with the batch statistics, 0 as inference. */
export function importBatchNormTrainingMode(ctx: ImportContext, node: OnnxNode): void {
  if (isTraining(node)) return importBatchNormTraining(ctx, node);
  importBatchNorm(ctx, node);
}

/** Inference; runs after the op table's check. */
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

/** A constant [C] of input i (scale, bias, mean or var), with its float32 data. */
function channelConst(ctx: ImportContext, node: OnnxNode, i: number, c: number): Float32Array {
  const data = ctx.constFloat32(node.input(i));
  if (!data) ctx.fail('requires-constant-input', constRequired(node, i));
  if (data.length !== c) ctx.fail('shape-mismatch', `BatchNormalization ${PARAMS[i - 1]} (input '${node.input(i)}') has ${data.length} values for ${c} channels`);
  return data;
}

/** training_mode=1: normalizes with the batch statistics, and the running statistics as outputs 1 and 2. */
function importBatchNormTraining(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  if (xs.length < 2) ctx.fail('shape-mismatch', `BatchNormalization input '${x}' has rank ${xs.length}; it needs [N, C, …]`);
  const [n, c] = [xs[0]!, xs[1]!];
  const s = xs.slice(2).reduce((p, d) => p * d, 1);
  const gamma = channelConst(ctx, node, 1, c);
  const beta = channelConst(ctx, node, 2, c);
  const v = (what: string) => `${node.name}__train_${what}`;
  const eps = node.float('epsilon', 1e-5);
  const perChannel = (name: string, data: Float32Array, shape: number[]) => {
    ctx.defineConst(v(name), { dtype: 'float32', shape, data: Float32Array.from(data) });
    return v(name);
  };
  const stats = { mean: v('batch_mean'), variance: v('batch_var') };
  if (xs.length === 4 && n === 1) {
    // in place, in the activation's own layout: MEAN over the spatial axes only
    const shape = [1, c, 1, 1];
    const y = normalize(ctx, v('norm'), x, [2, 3], eps, perChannel('gamma', gamma, shape), true, stats);
    emitBinary(ctx, 'ADD', y, perChannel('beta', beta, shape), node.outputs[0]!);
  } else {
    const nhwc = xs.length === 4 && (primaryOf(ctx, x).form === 'NHWC' || s > 1);
    const channelLast = nhwc || s === 1;
    const view = channelLast ? [1, n, s, c] : [1, n, c, s];
    const axes = channelLast ? [1, 2] : [1, 3];
    const statShape = channelLast ? [1, 1, 1, c] : [1, 1, c, 1];
    // the view as an ONNX-form value (its 4 axes are not N, C, H, W)
    const src = nhwc ? ctx.nhwc(x) : ctx.onnxOrder(x);
    ctx.bind(v('view'), ctx.reshape(src, view, 'plain', v('view')), 'float32', view, 'ONNX');
    const y = normalize(ctx, v('norm'), v('view'), axes, eps, perChannel('gamma', gamma, statShape), true, stats);
    emitBinary(ctx, 'ADD', y, perChannel('beta', beta, statShape), v('y_view'));
    if (nhwc) {
      const out = ctx.reshape(ctx.nchw(v('y_view')), [n, xs[2]!, xs[3]!, c], 'NHWC', node.outputs[0]!);
      ctx.bind(node.outputs[0]!, out, 'float32', xs, 'NHWC');
    } else emitReshape(ctx, v('y_view'), xs, node.outputs[0]!);
  }
  const momentum = node.float('momentum', 0.9);
  // computed on [1, 1, 1, C] and reshaped to [C] last: the GPU delegate reads a rank-1 runtime tensor as
  // BHWC (C, 1, 1, 1), so a [C] constant broadcast against it used only its first value (measured in WebGPU)
  const running = (out: string | undefined, stat: string, i: number, what: string) => {
    if (!out) return;
    const prior = channelConst(ctx, node, i, c);
    const shape = [1, 1, 1, c];
    emitReshape(ctx, stat, shape, v(`${what}_stat`));
    emitBinary(ctx, 'MUL', v(`${what}_stat`), perChannel(`${what}_keep`, new Float32Array(c).fill(1 - momentum), shape), v(`${what}_new`));
    emitBinary(ctx, 'ADD', v(`${what}_new`), perChannel(`${what}_prior`, prior.map((p) => p * momentum), shape), v(`${what}_sum`));
    emitReshape(ctx, v(`${what}_sum`), [c], out);
  };
  running(node.outputs[1], stats.mean, 3, 'running_mean');
  running(node.outputs[2], stats.variance, 4, 'running_var');
}
