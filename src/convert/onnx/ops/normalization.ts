/**
 * InstanceNormalization and LayerNormalization decomposed into ops the GPU delegate takes:
 *   mean = MEAN(x, axes, keep)        d = SUB(x, mean)          var = MEAN(MUL(d, d), axes, keep)
 *   r = RSQRT(ADD(var, ε))            y = MUL(d, r·γ) + β   (InstanceNorm: r·γ is [N,C,1,1], small)
 * The axes follow the activation's layout: InstanceNorm of an NHWC tensor reduces NHWC axes [1, 2];
 * LayerNorm over ONNX axes [axis, rank) maps each to its NHWC position. LayerNorm's optional Mean /
 * InvStdDev outputs are the `mean` and `r` values above.
 */
import { primaryOf, type ImportContext } from '../context.js';
import { nhwcAxis, TO_NHWC } from '../layout.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';
import { emitReshape } from '../lowering/emit-reshape.js';
import { permuteData, permuteShape } from '../../../ir/ndarray.js';

/** MEAN over ONNX `axes` with keep_dims into ONNX value `outName`, in the input's own layout. */
function reduceMean(ctx: ImportContext, x: string, axes: number[], outName: string): void {
  const { tensor, form } = primaryOf(ctx, x);
  const irAxes = form === 'NHWC' ? axes.map(nhwcAxis).sort((a, b) => a - b) : axes;
  const shape = ctx.shape(x).map((d, i) => (axes.includes(i) ? 1 : d));
  const out = ctx.define(outName, 'float32', shape, form);
  ctx.emit('MEAN', [tensor, ctx.int32Const(`${out}_axes`, irAxes)], [out], { keepDims: true });
}

function rsqrt(ctx: ImportContext, x: string, outName: string): void {
  const { tensor, form } = primaryOf(ctx, x);
  const out = ctx.define(outName, 'float32', ctx.shape(x), form);
  ctx.emit('RSQRT', [tensor], [out]);
}

/**
 * Normalizes `x` over ONNX `axes`: returns the ONNX value of (x − mean)·rsqrt(var + ε) scaled by
 * `gamma` (an ONNX value, or undefined) — scaled in the cheapest place: `gammaOnStats` multiplies
 * the small rsqrt tensor (gamma broadcasts against it) instead of the full-size one. `names` picks the
 * ONNX value names of the statistics (mean, population variance, rsqrt) for callers that read them.
 */
export function normalize(ctx: ImportContext, base: string, x: string, axes: number[], eps: number, gamma: string | undefined, gammaOnStats: boolean, names: { mean?: string; invStd?: string; variance?: string }): string {
  const v = (s: string) => `${base}__${s}`;
  const mean = names.mean || v('mean');
  reduceMean(ctx, x, axes, mean);
  emitBinary(ctx, 'SUB', x, mean, v('centered'));
  emitBinary(ctx, 'MUL', v('centered'), v('centered'), v('squared'));
  const variance = names.variance || v('variance');
  reduceMean(ctx, v('squared'), axes, variance);
  ctx.defineConst(v('epsilon'), { dtype: 'float32', shape: [], data: Float32Array.of(eps) });
  emitBinary(ctx, 'ADD', variance, v('epsilon'), v('variance_eps'));
  const invStd = names.invStd || v('inv_std');
  rsqrt(ctx, v('variance_eps'), invStd);
  if (gamma && gammaOnStats) {
    emitBinary(ctx, 'MUL', invStd, gamma, v('scale'));
    emitBinary(ctx, 'MUL', v('centered'), v('scale'), v('normalized'));
    return v('normalized');
  }
  emitBinary(ctx, 'MUL', v('centered'), invStd, v('normalized'));
  if (!gamma) return v('normalized');
  emitBinary(ctx, 'MUL', v('normalized'), gamma, v('scaled'));
  return v('scaled');
}

/** Shape-independent: constant scale and bias. */
export function checkNormalization(ctx: ImportContext, node: OnnxNode): void {
  for (const [i, what] of [[1, 'scale'], [2, 'bias']] as const) {
    if (ctx.isRuntime(node.input(i))) ctx.fail('requires-constant-input', `${node.opType} ${what} (input '${node.input(i)}') must be a constant`);
  }
}

/** Defines a per-channel constant [1, C, 1, …] (broadcasting over ONNX axis 1) from input i. */
function perChannel(ctx: ImportContext, node: OnnxNode, i: number, rank: number, what: 'scale' | 'bias'): string {
  const data = ctx.constFloat32(node.input(i));
  if (!data) ctx.fail('requires-constant-input', `InstanceNormalization ${what} (input '${node.input(i)}') must be a constant`);
  const name = `${node.name}__${what === 'scale' ? 'gamma' : 'beta'}`;
  // full rank [1, C, 1, …]: NHWC makes it [1,1,1,C]; in ONNX order the equal ranks pass the GPU delegate's broadcast check
  ctx.defineConst(name, { dtype: 'float32', shape: [1, data.length, ...new Array<number>(rank - 2).fill(1)], data: Float32Array.from(data) });
  return name;
}

export function importInstanceNorm(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  if (xs.length < 3) ctx.fail('unsupported-attribute', `InstanceNormalization needs a spatial axis; input has rank ${xs.length}`);
  const axes = xs.slice(2).map((_, i) => i + 2);
  const gamma = perChannel(ctx, node, 1, xs.length, 'scale');
  const beta = perChannel(ctx, node, 2, xs.length, 'bias');
  const y = normalize(ctx, node.name, x, axes, node.float('epsilon', 1e-5), gamma, true, {});
  emitBinary(ctx, 'ADD', y, beta, node.outputs[0]!);
}

/**
 * A constant of rank < 4 broadcast against a 4-D activation, as a 4-D constant ([W] → [1,1,1,W]): in
 * NHWC it is then [1,1,W,1] — equal ranks, which the GPU delegate's broadcast check accepts, where
 * the rank-2 [W,1] the short form would give is refused.
 */
export function fullRank(ctx: ImportContext, name: string, rank: number): string {
  const c = ctx.constant(name)!;
  if (rank !== 4 || c.shape.length >= 4) return name;
  const padded = `${name}__4d`;
  if (!ctx.has(padded)) ctx.defineConst(padded, { ...c, shape: [...new Array<number>(4 - c.shape.length).fill(1), ...c.shape] });
  return padded;
}

export function importLayerNorm(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const rank = ctx.rank(x);
  let axis = node.int('axis', -1);
  if (axis < 0) axis += rank;
  if (axis < 0 || axis >= rank) ctx.fail('unsupported-attribute', `LayerNormalization axis ${node.int('axis', -1)} is outside rank ${rank}`);
  const axes = [...Array(rank).keys()].slice(axis);
  if (axis === 0 && rank > 1) return layerNormOverAll(ctx, node);
  if (!ctx.isConst(node.input(1))) ctx.fail('requires-constant-input', `LayerNormalization scale (input '${node.input(1)}') must be a constant`);
  const scale = fullRank(ctx, node.input(1), rank);
  const bias = node.input(2) && fullRank(ctx, node.input(2), rank);
  const eps = node.float('epsilon', 1e-5);
  const y = normalize(ctx, node.name, x, axes, eps, scale, false, {});
  // Mean / InvStdDev outputs from their own ops: LiteRT's WebGPU delegate returned zeros for them when the
  // graph output was the MEAN / RSQRT tensor the normalization reads on (measured; a RESHAPE copy is
  // removed as an identity). Only models that ask for these (training-style) outputs pay the extra ops.
  if (node.outputs[1] || node.outputs[2]) {
    normalize(ctx, `${node.name}__stats`, x, axes, eps, undefined, false, { mean: node.outputs[1], invStd: node.outputs[2] });
  }
  if (bias) emitBinary(ctx, 'ADD', y, bias, node.outputs[0]!);
  else ctx.alias(node.outputs[0]!, y);
}

/**
 * LayerNorm over every axis (axis 0) on a [1, total] view: the GPU delegate's MEAN over the batch axis
 * is wrong (measured in WebGPU: 870× the fp16 tolerance for a [3, 4] LayerNorm over axis 0).
 */
function layerNormOverAll(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const total = xs.reduce((p, d) => p * d, 1);
  // the order of the elements does not matter to the statistics: an NHWC activation is flattened as it is,
  // with γ / β permuted to NHWC order, so no TRANSPOSE is needed
  const nhwc = xs.length === 4 && ctx.isRuntime(x) && ctx.isNhwc(x);
  const v = (s: string) => `${node.name}__all_${s}`;
  const flatConst = (i: number, what: string): string | undefined => {
    if (!node.input(i)) return undefined;
    const data = ctx.constFloat32(node.input(i));
    if (!data) ctx.fail('requires-constant-input', `LayerNormalization ${what} (input '${node.input(i)}') must be a constant`);
    let full: Float32Array | undefined = data.length === total ? Float32Array.from(data) : data.length === 1 ? new Float32Array(total).fill(data[0]!) : undefined;
    if (!full) ctx.fail('unsupported-attribute', `LayerNormalization over every axis: ${what} [${ctx.shape(node.input(i))}] must have the input's ${total} elements or one`);
    if (nhwc) full = permuteData('float32', full, xs, TO_NHWC) as Float32Array;
    ctx.defineConst(v(what), { dtype: 'float32', shape: [1, total], data: full });
    return v(what);
  };
  const scale = flatConst(1, 'scale')!;
  const bias = flatConst(2, 'bias');
  if (nhwc) ctx.bind(v('x'), ctx.reshape(ctx.nhwc(x), [1, total], 'plain', v('x')), 'float32', [1, total], 'ONNX');
  else emitReshape(ctx, x, [1, total], v('x'));
  const ones = xs.map(() => 1);
  const eps = node.float('epsilon', 1e-5);
  const y = normalize(ctx, node.name, v('x'), [1], eps, scale, false, {});
  // Mean / InvStdDev outputs from their own ops, as in importLayerNorm
  if (node.outputs[1] || node.outputs[2]) normalize(ctx, v('stats'), v('x'), [1], eps, undefined, false, { mean: v('mean'), invStd: v('inv_std_out') });
  if (bias) emitBinary(ctx, 'ADD', y, bias, v('y'));
  const flatOut = bias ? v('y') : y;
  if (nhwc) ctx.bind(node.outputs[0]!, ctx.reshape(ctx.nchw(flatOut), permuteShape(xs, TO_NHWC), 'NHWC', node.outputs[0]!), 'float32', xs, 'NHWC');
  else emitReshape(ctx, flatOut, xs, node.outputs[0]!);
  if (node.outputs[1]) emitReshape(ctx, v('mean'), ones, node.outputs[1]);
  if (node.outputs[2]) emitReshape(ctx, v('inv_std_out'), ones, node.outputs[2]);
}
