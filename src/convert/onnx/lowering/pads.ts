/**
 * ONNX spatial padding (pads / auto_pad) → TFLite SAME / VALID or explicit padding.
 * TFLite SAME: out = ceil(in/s), total = max((out-1)·s + k_eff − in, 0), before = floor(total/2)
 * (= ONNX SAME_UPPER). VALID = no padding.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

export interface Spatial2D {
  /** [top, left] and [bottom, right] */
  begin: [number, number];
  end: [number, number];
}

export function samePads(inSize: number, kEff: number, stride: number, upper = true): [number, number] {
  const out = Math.ceil(inSize / stride);
  const total = Math.max((out - 1) * stride + kEff - inSize, 0);
  const small = Math.floor(total / 2);
  return upper ? [small, total - small] : [total - small, small];
}

const AUTO_PAD = new Set(['NOTSET', '', 'VALID', 'SAME_UPPER', 'SAME_LOWER']);

/** Shape-independent: auto_pad is an ONNX value and pads are not negative. */
export function checkPadAttributes(ctx: ImportContext, node: OnnxNode): void {
  const auto = node.string('auto_pad', 'NOTSET');
  if (!AUTO_PAD.has(auto)) ctx.fail('unsupported-attribute', `auto_pad='${auto}' is not an ONNX value`);
  const p = node.ints('pads');
  if ((auto === 'NOTSET' || auto === '') && p?.some((v) => v < 0)) ctx.fail('unsupported-attribute', `negative pads [${p}] are not supported`);
}

/** The node's pads in [top,left] / [bottom,right] form, auto_pad resolved (after checkPadAttributes). */
export function resolvePads(ctx: ImportContext, node: OnnxNode, inHW: number[], kEff: number[], strides: number[]): Spatial2D {
  const auto = node.string('auto_pad', 'NOTSET');
  if (auto === 'VALID') return { begin: [0, 0], end: [0, 0] };
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const h = samePads(inHW[0]!, kEff[0]!, strides[0]!, auto === 'SAME_UPPER');
    const w = samePads(inHW[1]!, kEff[1]!, strides[1]!, auto === 'SAME_UPPER');
    return { begin: [h[0], w[0]], end: [h[1], w[1]] };
  }
  const p = node.ints('pads') ?? [0, 0, 0, 0];
  if (p.length !== 4) ctx.fail('unsupported-attribute', `pads has ${p.length} values; only 2-D spatial ops are supported`);
  return { begin: [p[0]!, p[1]!], end: [p[2]!, p[3]!] };
}

/** A 3-D window's strides and dilations (default 1 each, checked) and its dilated kernel extent; `what` ends the messages ('a 5-D input'). */
export function window3d(ctx: ImportContext, node: OnnxNode, k: readonly number[], what: string): { strides: number[]; dil: number[]; kEff: number[] } {
  const strides = node.ints('strides') ?? [1, 1, 1];
  const dil = node.ints('dilations') ?? [1, 1, 1];
  if (strides.length !== 3 || dil.length !== 3) ctx.fail('unsupported-attribute', `strides [${strides}] and dilations [${dil}] must have 3 values for ${what}`);
  if (strides.some((v) => v < 1)) ctx.fail('unsupported-attribute', `strides [${strides}] must be positive`);
  return { strides, dil, kEff: k.map((kk, i) => (kk - 1) * dil[i]! + 1) };
}

/** 3-D begin / end pads ([D, H, W] each) from auto_pad or pads (after checkPadAttributes): 3-D Conv and pools. */
export function resolvePads3d(ctx: ImportContext, node: OnnxNode, inDhw: number[], kEff: number[], strides: number[]): { begin: number[]; end: number[] } {
  const auto = node.string('auto_pad', 'NOTSET');
  if (auto === 'VALID') return { begin: [0, 0, 0], end: [0, 0, 0] };
  if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    const p = inDhw.map((d, i) => samePads(d, kEff[i]!, strides[i]!, auto === 'SAME_UPPER'));
    return { begin: p.map((q) => q[0]), end: p.map((q) => q[1]) };
  }
  const pads = node.ints('pads') ?? [0, 0, 0, 0, 0, 0];
  if (pads.length !== 6) ctx.fail('unsupported-attribute', `pads [${pads}] must have 6 values for a 5-D input`);
  return { begin: pads.slice(0, 3), end: pads.slice(3, 6) };
}

/**
 * A window op (Conv, pools) has at least one output cell per spatial axis: ONNX gives none when the
 * dilated window is larger than the padded input (onnxruntime refuses such a model). Refused naming
 * the node — an output of 0 cells would otherwise pass for an empty tensor (empty.ts).
 */
export function requireOutputCells(ctx: ImportContext, node: OnnxNode, out: readonly number[], kEff: readonly number[], padded: readonly number[]): void {
  if (out.every((o) => o >= 1)) return;
  ctx.fail('shape-mismatch', `${node.opType} '${node.name}': the ${kEff.join('×')} window (dilations included) is larger than the padded input ${padded.join('×')} (no output cell)`);
}

/** SAME when the pads equal TFLite's SAME split, VALID when zero, else EXPLICIT (a PAD op then VALID). */
export function paddingKind(pads: Spatial2D, inHW: number[], kEff: number[], strides: number[]): 'SAME' | 'VALID' | 'EXPLICIT' {
  if (pads.begin.every((v) => v === 0) && pads.end.every((v) => v === 0)) return 'VALID';
  const h = samePads(inHW[0]!, kEff[0]!, strides[0]!);
  const w = samePads(inHW[1]!, kEff[1]!, strides[1]!);
  if (pads.begin[0] === h[0] && pads.end[0] === h[1] && pads.begin[1] === w[0] && pads.end[1] === w[1]) return 'SAME';
  return 'EXPLICIT';
}

/** ONNX output size of a window op (floor mode). */
export function outSize(inSize: number, begin: number, end: number, kEff: number, stride: number): number {
  return Math.floor((inSize + begin + end - kEff) / stride) + 1;
}

/** ONNX ceil_mode output size of a pool (the last window must start inside the input or its begin padding). */
export function ceilOutSize(inSize: number, begin: number, end: number, kEff: number, stride: number): number {
  let out = Math.ceil((inSize + begin + end - kEff) / stride) + 1;
  if ((out - 1) * stride >= inSize + begin) out--;
  return out;
}

/** PAD (value 0) or PADV2 (value `fill`) of an NHWC tensor by `pads`. */
export function emitPad(ctx: ImportContext, tensor: string, pads: Spatial2D, fill = 0): string {
  const t = ctx.g.tensor(tensor);
  const [n, h, w, c] = t.shape as [number, number, number, number];
  const shape = [n, h + pads.begin[0] + pads.end[0], w + pads.begin[1] + pads.end[1], c];
  const out = ctx.newTensor(`${ctx.node.name}_padded`, t.dtype, shape, 'NHWC');
  const paddings = ctx.int32Const(`${out}_paddings`, [0, 0, pads.begin[0], pads.end[0], pads.begin[1], pads.end[1], 0, 0], [4, 2]);
  if (fill === 0) ctx.emit('PAD', [tensor, paddings], [out]);
  else ctx.emit('PADV2', [tensor, paddings, ctx.float32Const(`${out}_value`, Float32Array.of(fill), [1])], [out]);
  return out;
}
