/**
 * Dilated MaxPool / AveragePool (TFLite pools have no dilation). Strides that are multiples of the
 * dilations: one STRIDED_SLICE onto the dilation grid + an undilated pool (see subsampledPool). Otherwise a
 * window's max / sum is separable,
 * so each spatial axis is reduced on its own: the input padded (−FLT_MAX for max, zeros for average;
 * ceil_mode extends the end padding), then per kernel tap t a STRIDED_SLICE starting at t·dilation
 * with the pool's stride, combined with MAXIMUM / ADD — kH + kW slices, all GPU-delegate ops.
 * Average then MULs by a constant [oh, ow, 1] map of 1 / ONNX's divisor per output cell
 * (count_include_pad=0: the window's real input cells; 1: cells up to ONNX's own pads).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { ceilOutSize, emitPad, outSize, resolvePads } from './pads.js';

const F32_LOWEST = -3.4028234663852886e38;
/** Most STRIDED_SLICE taps (kH + kW) the tap form may use (measured: 140 gave zeros in WebGPU, 6 are exact). */
const MAX_TAPS = 32;

export function importDilatedPool(ctx: ImportContext, node: OnnxNode, kind: 'max' | 'avg', k: number[], strides: number[], dil: number[]): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const [n, c] = [xs[0]!, xs[1]!];
  const inHW = [xs[2]!, xs[3]!];
  const kEff = [0, 1].map((a) => (k[a]! - 1) * dil[a]! + 1);
  const pads = resolvePads(ctx, node, inHW, kEff, strides);
  const onnxEnd = [pads.end[0], pads.end[1]];
  const outHW = [0, 1].map((a) => {
    if (node.int('ceil_mode', 0) !== 1) return outSize(inHW[a]!, pads.begin[a]!, pads.end[a]!, kEff[a]!, strides[a]!);
    const o = ceilOutSize(inHW[a]!, pads.begin[a]!, pads.end[a]!, kEff[a]!, strides[a]!);
    // the padded input must hold the last window
    pads.end[a as 0 | 1] = Math.max(pads.end[a]!, (o - 1) * strides[a]! + kEff[a]! - inHW[a]! - pads.begin[a]!);
    return o;
  });
  if (outHW.some((o) => o < 1)) ctx.fail('shape-mismatch', `the dilated window [${kEff}] does not fit the padded input`);
  let cur = ctx.nhwc(x);
  if (pads.begin.some((v) => v > 0) || pads.end.some((v) => v > 0)) cur = emitPad(ctx, cur, pads, kind === 'max' ? F32_LOWEST : 0);
  const combine = kind === 'max' ? 'MAXIMUM' : 'ADD';
  const out = ctx.define(node.outputs[0]!, 'float32', [n, c, outHW[0]!, outHW[1]!], 'NHWC');
  const divisor = kind === 'avg' ? divisorMap(inHW, k, strides, dil, pads.begin, onnxEnd, outHW, node.int('count_include_pad', 0) === 1) : undefined;
  if (strides.every((st, a) => st % dil[a]! === 0)) return subsampledPool(ctx, node, kind, cur, out, k, strides, dil, outHW, divisor);
  if (k[0]! + k[1]! > MAX_TAPS) {
    ctx.fail('unsupported-attribute', `dilated ${node.opType} with a ${k[0]}×${k[1]} kernel needs ${k[0]! + k[1]!} slices (more than ${MAX_TAPS}: LiteRT's WebGPU delegate returned zeros for such a graph) and its strides [${strides}] are not multiples of the dilations [${dil}]`);
  }
  const paddedHW = ctx.irShape(cur).slice(1, 3);
  const axes = [0, 1].filter((a) => !(k[a] === 1 && strides[a] === 1 && paddedHW[a] === outHW[a]));
  for (const a of axes) {
    const ir = a + 1; // NHWC axis of H / W
    const shape = ctx.irShape(cur);
    const sliced = [...shape];
    sliced[ir] = outHW[a]!;
    const last = a === axes[axes.length - 1] && !divisor;
    const taps = Array.from({ length: k[a]! }, (_, t) => {
      const o = k[a] === 1 && last ? out : ctx.newTensor(`${node.name}_axis${a}_tap${t}`, 'float32', sliced, 'NHWC');
      const begin = [0, 0, 0, 0];
      const end = [...shape];
      const step = [1, 1, 1, 1];
      begin[ir] = t * dil[a]!;
      end[ir] = t * dil[a]! + (outHW[a]! - 1) * strides[a]! + 1;
      step[ir] = strides[a]!;
      emitStridedSlice(ctx, cur, o, begin, end, step);
      return o;
    });
    cur = taps.reduce((acc, t, i) => {
      const o = i === taps.length - 1 && last ? out : ctx.newTensor(`${node.name}_axis${a}_${combine.toLowerCase()}${i}`, 'float32', sliced, 'NHWC');
      ctx.emit(combine, [acc, t], [o], { activation: 'NONE' });
      return o;
    });
  }
  if (divisor) ctx.emit('MUL', [cur, ctx.float32Const(`${node.name}_inv_divisor`, divisor, [outHW[0]!, outHW[1]!, 1])], [out], { activation: 'NONE' });
  else if (cur !== out) ctx.emit('RESHAPE', [cur, ctx.int32Const(`${out}_shape`, ctx.irShape(out))], [out], { newShape: [...ctx.irShape(out)] }); // every axis was trivial
}

/**
 * Strides that are multiples of the dilations: every window tap lies on the grid of step `dilation`
 * from the padded origin, so one STRIDED_SLICE (step = dilation) makes the window dense and an undilated
 * pool finishes it — MAX_POOL_2D, or for average a 1/(kH·kW) DEPTHWISE_CONV_2D (then the divisor map) —
 * 2–3 ops whatever the kernel size.
 */
function subsampledPool(ctx: ImportContext, node: OnnxNode, kind: 'max' | 'avg', padded: string, out: string, k: number[], s: number[], d: number[], outHW: number[], divisor: Float32Array | undefined): void {
  const [n, , , c] = ctx.irShape(padded) as [number, number, number, number];
  const sub = [0, 1].map((a) => (outHW[a]! - 1) * (s[a]! / d[a]!) + k[a]!);
  const grid = ctx.newTensor(`${node.name}_dilation_grid`, 'float32', [n, sub[0]!, sub[1]!, c], 'NHWC');
  const end = [n, (sub[0]! - 1) * d[0]! + 1, (sub[1]! - 1) * d[1]! + 1, c];
  emitStridedSlice(ctx, padded, grid, [0, 0, 0, 0], end, [1, d[0]!, d[1]!, 1]);
  const pooled = divisor ? ctx.newTensor(`${node.name}_window_sum`, 'float32', ctx.irShape(out), 'NHWC') : out;
  const strideAttrs = { strideH: s[0]! / d[0]!, strideW: s[1]! / d[1]!, activation: 'NONE' as const };
  if (kind === 'max') {
    ctx.emit('MAX_POOL_2D', [grid], [pooled], { ...strideAttrs, padding: 'VALID', filterH: k[0]!, filterW: k[1]! });
  } else {
    // a window sum (weights 1): the divisor map below divides by ONNX's count
    const wt = ctx.float32Const(`${node.name}_window_ones`, new Float32Array(k[0]! * k[1]! * c).fill(1), [1, k[0]!, k[1]!, c]);
    ctx.emit('DEPTHWISE_CONV_2D', [grid, wt, ctx.float32Const(`${node.name}_window_bias`, new Float32Array(c), [c])], [pooled], { ...strideAttrs, padding: 'VALID', dilationH: 1, dilationW: 1, depthMultiplier: 1 });
  }
  if (divisor) ctx.emit('MUL', [pooled, ctx.float32Const(`${node.name}_inv_divisor`, divisor, [outHW[0]!, outHW[1]!, 1])], [out], { activation: 'NONE' });
}

/** Per output cell 1 / (number of window taps ONNX divides by). */
function divisorMap(inHW: number[], k: number[], s: number[], d: number[], begin: number[], onnxEnd: number[], outHW: number[], includePad: boolean): Float32Array {
  const count = (a: number, i: number) => {
    let m = 0;
    for (let t = 0; t < k[a]!; t++) {
      const pos = i * s[a]! + t * d[a]! - begin[a]!;
      if (includePad ? pos < inHW[a]! + onnxEnd[a]! : pos >= 0 && pos < inHW[a]!) m++;
    }
    return m;
  };
  const map = new Float32Array(outHW[0]! * outHW[1]!);
  for (let i = 0; i < outHW[0]!; i++) for (let j = 0; j < outHW[1]!; j++) map[i * outHW[1]! + j] = 1 / (count(0, i) * count(1, j));
  return map;
}

/** STRIDED_SLICE of `src` into `out` with explicit begin/end/strides and no masks. */
function emitStridedSlice(ctx: ImportContext, src: string, out: string, begin: number[], end: number[], strides: number[]): void {
  const c = (what: string, v: number[]) => ctx.int32Const(`${out}_${what}`, v);
  ctx.emit('STRIDED_SLICE', [src, c('begin', begin), c('end', end), c('strides', strides)], [out], {
    beginMask: 0,
    endMask: 0,
    ellipsisMask: 0,
    newAxisMask: 0,
    shrinkAxisMask: 0,
    offset: false,
  });
}
