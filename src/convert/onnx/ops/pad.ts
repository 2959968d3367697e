/**
 * Pad (opsets 1–10: `pads` / `value` attributes, PAD_ATTRIBUTES; 11+: pads / constant_value inputs and
 * from 18 an axes input, PAD_INPUTS; one table row each).
 * - constant: PAD (value 0) or PADV2 (other values; the GPU delegate takes both);
 * - reflect: MIRROR_PAD REFLECT (the only mirror mode the GPU delegate takes);
 * - edge: per padded axis, a SLICE of the edge row and a CONCATENATION of it repeated around the
 *   tensor (MIRROR_PAD SYMMETRIC would equal edge only for pads of 1, and the GPU rejects it);
 * - wrap: per padded axis, a CONCATENATION of [the last `before` rows, x, the first `after` rows]
 *   (SLICEs), for pads no larger than the axis.
 * Negative pads (cropping) are a SLICE, constant mode only. A 4-D NHWC activation stays NHWC: the
 * ONNX axes' pads are moved to their NHWC positions.
 */
import type { DType } from '../../../ir/dtype.js';
import { allocTyped } from '../../../ir/dtype.js';
import type { Layout } from '../../../ir/tensor.js';
import { primaryOf, type ImportContext } from '../context.js';
import { TO_NHWC } from '../layout.js';
import type { OnnxNode } from '../node.js';
import { defineEmptyResult } from '../empty.js';

const MODES = new Set(['constant', 'reflect', 'edge', 'wrap']);

function mode(node: OnnxNode): string {
  return node.string('mode', 'constant');
}

/** How a Pad version reads its pads (flat [begins…, ends…] over `axes`) and its constant value. */
export interface PadArgs {
  pads(ctx: ImportContext, node: OnnxNode, rank: number): { flat: number[]; axes: number[] };
  value(ctx: ImportContext, node: OnnxNode): number;
}

export const PAD_ATTRIBUTES: PadArgs = {
  pads: (_ctx, node, rank) => ({ flat: node.ints('pads') ?? node.ints('paddings') ?? [], axes: [...Array(rank).keys()] }),
  value: (_ctx, node) => node.float('value', 0),
};

export const PAD_INPUTS: PadArgs = {
  pads: (ctx, node, rank) => ({
    flat: ctx.requireConst(node.input(1), 'Pad pads'),
    axes: node.input(3) ? ctx.requireConst(node.input(3), 'Pad axes').map((a) => (a < 0 ? a + rank : a)) : [...Array(rank).keys()],
  }),
  value: (ctx, node) => (node.input(2) ? ctx.requireConst(node.input(2), 'Pad constant_value') : [0])[0] ?? 0,
};

/** Shape-independent: a known mode. */
export function checkPad(ctx: ImportContext, node: OnnxNode): void {
  const m = mode(node);
  if (!MODES.has(m)) ctx.fail('unsupported-attribute', `Pad mode='${m}' is not an ONNX mode`);
}

/** Shape-independent (opset 11+): a known mode; pads / value / axes constant. */
export function checkPadInputs(ctx: ImportContext, node: OnnxNode): void {
  checkPad(ctx, node);
  const what = ['data', 'pads', 'constant_value', 'axes'];
  for (const i of [1, 2, 3]) {
    if (ctx.isRuntime(node.input(i))) ctx.fail('requires-constant-input', `Pad ${what[i]} (input '${node.input(i)}') must be a constant: TFLite takes static paddings`);
  }
}

/** [begin per axis, end per axis] in ONNX axis order. */
function onnxPads(ctx: ImportContext, node: OnnxNode, rank: number, args: PadArgs): { begin: number[]; end: number[] } {
  const { flat, axes } = args.pads(ctx, node, rank);
  if (flat.length !== 2 * axes.length) ctx.fail('shape-mismatch', `Pad pads has ${flat.length} values for ${axes.length} axes`);
  const begin = new Array<number>(rank).fill(0);
  const end = new Array<number>(rank).fill(0);
  axes.forEach((a, i) => {
    if (a < 0 || a >= rank) ctx.fail('unsupported-attribute', `Pad axis ${a} is outside rank ${rank}`);
    begin[a] = flat[i]!;
    end[a] = flat[i + axes.length]!;
  });
  return { begin, end };
}

function scalarConst(ctx: ImportContext, base: string, dtype: DType, value: number): string {
  const data = allocTyped(dtype, 1);
  (data as unknown as number[])[0] = (dtype === 'int64' ? BigInt(Math.trunc(value)) : value) as number;
  return ctx.constTensor(base, dtype, [1], data);
}

export const pad = (args: PadArgs) => (ctx: ImportContext, node: OnnxNode): void => {
  const x = node.input(0);
  const xs = ctx.shape(x);
  const rank = xs.length;
  const m = mode(node);
  const value = () => args.value(ctx, node);
  const pads = onnxPads(ctx, node, rank, args);
  const { tensor: src, form } = primaryOf(ctx, x);
  const nhwc = form === 'NHWC';
  // IR axis j holds ONNX axis irToOnnx[j]
  const irToOnnx = nhwc ? [...TO_NHWC] : [...Array(rank).keys()];
  const begin = irToOnnx.map((a) => pads.begin[a]!);
  const end = irToOnnx.map((a) => pads.end[a]!);
  const outShape = xs.map((d, a) => d + pads.begin[a]! + pads.end[a]!);
  if (outShape.some((d) => d < 0)) ctx.fail('shape-mismatch', `Pad gives a negative output size [${outShape}]`);
  if (outShape.some((d) => d === 0)) return defineEmptyResult(ctx, node.outputs[0]!, ctx.dtype(x), outShape); // nothing to compute (empty.ts)
  const dtype = ctx.dtype(x) === 'float16' ? 'float32' : ctx.dtype(x);
  const layout: Layout = nhwc ? 'NHWC' : rank === 4 ? 'NCHW' : 'plain';
  const tmp = (base: string, shape: number[]) => ctx.newTensor(`${node.name}_${base}`, dtype, shape, layout);
  if ((begin.some((v) => v < 0) || end.some((v) => v < 0)) && m !== 'constant') ctx.fail('unsupported-attribute', `Pad mode='${m}' with negative pads [${pads.begin}, ${pads.end}] is not supported`);
  if (m === 'reflect' || m === 'wrap') {
    const irShape = ctx.irShape(src);
    const limit = m === 'reflect' ? 1 : 0; // reflect: pad < size (TFLite MIRROR_PAD); wrap: pad ≤ size (one copy per side)
    const bad = irShape.findIndex((d, j) => begin[j]! > d - limit || end[j]! > d - limit);
    if (bad >= 0) ctx.fail('unsupported-attribute', `${m} pads [${pads.begin}, ${pads.end}] must be ${m === 'reflect' ? 'smaller than' : 'at most'} the padded axis (size ${irShape[bad]})`);
  }
  if (begin.every((v) => v === 0) && end.every((v) => v === 0)) return ctx.alias(node.outputs[0]!, x);
  const out = ctx.define(node.outputs[0]!, dtype, outShape, form);
  if (rank >= 4) return emitPadOps(ctx, m, value, src, begin, end, out, tmp);
  // rank < 4: on a 4-D view (leading 1s) — the GPU delegate reads [3,2] paddings as H, W, C while it maps a
  // rank-3 tensor to B, 1, W, C (measured in WebGPU: a rank-3 PAD is 300× off), and its SLICE takes rank 3–4 only
  const ones = new Array<number>(4 - rank).fill(1);
  const zeros = ones.map(() => 0);
  const src4 = ctx.reshape(src, [...ones, ...ctx.irShape(src)], 'plain', `${node.name}_4d`);
  const out4 = tmp('4d_padded', [...ones, ...ctx.irShape(out)]);
  emitPadOps(ctx, m, value, src4, [...zeros, ...begin], [...zeros, ...end], out4, tmp);
  ctx.emit('RESHAPE', [out4, ctx.int32Const(`${out}_shape`, ctx.irShape(out))], [out], { newShape: [...ctx.irShape(out)] });
};

/** The PAD / PADV2 / MIRROR_PAD / SLICE / CONCATENATION ops for IR-order pads `begin` / `end` (negative: crop); `value` is read for constant mode only. */
function emitPadOps(ctx: ImportContext, m: string, padValue: () => number, src: string, begin: number[], end: number[], out: string, tmp: (base: string, shape: number[]) => string): void {
  const dtype = ctx.g.tensor(src).dtype;
  let cur = src;
  if (begin.some((v) => v < 0) || end.some((v) => v < 0)) {
    const shape = ctx.irShape(src).map((d, j) => d + Math.min(begin[j]!, 0) + Math.min(end[j]!, 0));
    const positive = begin.some((v) => v > 0) || end.some((v) => v > 0);
    const cropped = positive ? tmp('cropped', shape) : out;
    ctx.emit('SLICE', [src, ctx.int32Const(`${cropped}_begin`, begin.map((v) => Math.max(-v, 0))), ctx.int32Const(`${cropped}_size`, shape)], [cropped]);
    if (!positive) return;
    cur = cropped;
  }
  const pb = begin.map((v) => Math.max(v, 0));
  const pe = end.map((v) => Math.max(v, 0));
  const paddings = () => ctx.int32Const(`${out}_paddings`, pb.flatMap((v, j) => [v, pe[j]!]), [pb.length, 2]);
  if (m === 'constant') {
    const value = padValue();
    if (value === 0) ctx.emit('PAD', [cur, paddings()], [out]);
    else ctx.emit('PADV2', [cur, paddings(), scalarConst(ctx, `${out}_value`, dtype, value)], [out]);
  } else if (m === 'reflect') {
    ctx.emit('MIRROR_PAD', [cur, paddings()], [out], { mirrorMode: 'REFLECT' });
  } else {
    emitConcatPad(ctx, m === 'edge' ? 'edge' : 'wrap', cur, pb, pe, out, tmp);
  }
}

/**
 * Edge / wrap padding, one axis at a time, as a CONCATENATION around the tensor: edge repeats the
 * first / last row `before` / `after` times; wrap puts the last `before` rows first and the first
 * `after` rows last.
 */
function emitConcatPad(ctx: ImportContext, kind: 'edge' | 'wrap', src: string, pb: number[], pe: number[], out: string, tmp: (base: string, shape: number[]) => string): void {
  const padded = pb.map((_, j) => j).filter((j) => pb[j]! > 0 || pe[j]! > 0);
  let cur = src;
  padded.forEach((axis, i) => {
    const shape = ctx.irShape(cur);
    const rows = (at: number, count: number, base: string) => {
      if (count === shape[axis]) return cur; // the whole axis (a wrap pad as large as it): no SLICE, which LiteRT's WebGPU compile refuses
      const size = shape.map((d, j) => (j === axis ? count : d));
      const t = tmp(base, size);
      ctx.emit('SLICE', [cur, ctx.int32Const(`${t}_begin`, shape.map((_, j) => (j === axis ? at : 0))), ctx.int32Const(`${t}_size`, size)], [t]);
      return t;
    };
    const [before, after] = [pb[axis]!, pe[axis]!];
    const d = shape[axis]!;
    const head = before === 0 ? [] : kind === 'edge' ? new Array<string>(before).fill(rows(0, 1, `edge${axis}_first`)) : [rows(d - before, before, `wrap${axis}_head`)];
    const tail = after === 0 ? [] : kind === 'edge' ? new Array<string>(after).fill(rows(d - 1, 1, `edge${axis}_last`)) : [rows(0, after, `wrap${axis}_tail`)];
    const next = i === padded.length - 1 ? out : tmp(`${kind}${axis}_padded`, shape.map((v, j) => (j === axis ? v + before + after : v)));
    ctx.emit('CONCATENATION', [...head, cur, ...tail], [next], { axis, activation: 'NONE' });
    cur = next;
  });
}
