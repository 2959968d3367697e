/**
 * DepthToSpace / SpaceToDepth on NHWC activations.
 * TFLite DEPTH_TO_SPACE reads input channel (i·b + j)·C' + c for output pixel offset (i, j) and
 * channel c — ONNX's DCR order; SPACE_TO_DEPTH is its inverse, as ONNX SpaceToDepth. CRD (channel
 * c·b² + i·b + j) is DCR after a constant channel permutation, applied where it is free: folded into
 * the producing CONV_2D's output channels (a copy of that conv with permuted weights and bias; the
 * original is left to dead-code elimination when nothing else reads it), else a 1×1 CONV_2D with a
 * 0/1 permutation matrix (exact for finite values; GPU-friendly, unlike GATHER).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

function blockSize(ctx: ImportContext, node: OnnxNode): number {
  const b = node.int('blocksize');
  if (b === undefined || b < 1) ctx.fail('unsupported-attribute', `${node.opType} blocksize ${b ?? '(missing)'} must be a positive integer`);
  return b;
}

/** Shape-independent: a blocksize, a known mode. */
export function checkDepthSpace(ctx: ImportContext, node: OnnxNode): void {
  blockSize(ctx, node);
  const mode = node.string('mode', 'DCR');
  if (node.opType === 'DepthToSpace' && mode !== 'DCR' && mode !== 'CRD') ctx.fail('unsupported-attribute', `DepthToSpace mode='${mode}' is not DCR or CRD`);
}

function input4d(ctx: ImportContext, node: OnnxNode): number[] {
  const xs = ctx.shape(node.input(0));
  if (xs.length !== 4) ctx.fail('unsupported-attribute', `${node.opType} needs a 4-D input; '${node.input(0)}' has rank ${xs.length}`);
  return xs;
}

export function importSpaceToDepth(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const [n, c, h, w] = input4d(ctx, node) as [number, number, number, number];
  const b = blockSize(ctx, node);
  if (h % b || w % b) ctx.fail('shape-mismatch', `SpaceToDepth blocksize ${b} does not divide ${h}×${w}`);
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), [n, c * b * b, h / b, w / b], 'NHWC');
  emitBatched(ctx, node, 'SPACE_TO_DEPTH', ctx.nhwc(x), out, b);
}

/**
 * `op` on an NHWC tensor; with batch N > 1 on the [1, N·H, W, C] view (free RESHAPEs): blocks never
 * straddle two images (H % b = 0), so it is the same op — and the GPU delegate computes DEPTH_TO_SPACE /
 * SPACE_TO_DEPTH wrongly for N > 1 (measured in WebGPU: 256× the fp16 tolerance).
 */
function emitBatched(ctx: ImportContext, node: OnnxNode, op: 'DEPTH_TO_SPACE' | 'SPACE_TO_DEPTH', input: string, out: string, b: number): void {
  const [n, h, w, c] = ctx.irShape(input) as [number, number, number, number];
  if (n === 1) {
    ctx.emit(op, [input], [out], { blockSize: b });
    return;
  }
  const flat = ctx.reshape(input, [1, n * h, w, c], 'NHWC', `${node.name}_one_image`);
  const [, oh, ow, oc] = ctx.irShape(out) as [number, number, number, number];
  const res = ctx.newTensor(`${node.name}_one_image_out`, ctx.g.tensor(input).dtype, [1, n * oh, ow, oc], 'NHWC');
  ctx.emit(op, [flat], [res], { blockSize: b });
  ctx.emit('RESHAPE', [res, ctx.int32Const(`${out}_shape`, [n, oh, ow, oc])], [out], { newShape: [n, oh, ow, oc] });
}

export function importDepthToSpace(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const [n, c, h, w] = input4d(ctx, node) as [number, number, number, number];
  const b = blockSize(ctx, node);
  if (c % (b * b)) ctx.fail('shape-mismatch', `DepthToSpace blocksize ${b}: ${c} channels are not a multiple of ${b * b}`);
  let input = ctx.nhwc(x);
  if (node.string('mode', 'DCR') === 'CRD') {
    const cOut = c / (b * b);
    // DCR channel k = (i·b + j)·C' + c' reads CRD channel c'·b² + (i·b + j)
    const perm = Array.from({ length: c }, (_, k) => (k % cOut) * b * b + Math.floor(k / cOut));
    input = foldIntoProducer(ctx, node, input, perm) ?? permutationConv(ctx, node, input, perm);
  }
  const out = ctx.define(node.outputs[0]!, ctx.dtype(x), [n, c / (b * b), h * b, w * b], 'NHWC');
  emitBatched(ctx, node, 'DEPTH_TO_SPACE', input, out, b);
}

/** A copy of the CONV_2D producing `tensor` whose output channel k is the original's perm[k]; undefined when there is none. */
function foldIntoProducer(ctx: ImportContext, node: OnnxNode, tensor: string, perm: number[]): string | undefined {
  const g = ctx.g;
  const p = g.nodes.find((n) => n.outputs[0] === tensor);
  if (!p || p.op !== 'CONV_2D') return undefined;
  const w = g.tensor(p.inputs[1]!);
  const bias = p.inputs[2] ? g.tensor(p.inputs[2]) : undefined;
  if (!(w.data instanceof Float32Array) || w.quant || (p.inputs[2] && !(bias?.data instanceof Float32Array))) return undefined;
  const [m, kh, kw, ci] = w.shape as [number, number, number, number];
  if (m !== perm.length) return undefined;
  const row = kh * kw * ci;
  const wd = new Float32Array(w.data.length);
  for (let k = 0; k < m; k++) wd.set(w.data.subarray(perm[k]! * row, (perm[k]! + 1) * row), k * row);
  const bd = new Float32Array(m);
  if (bias) for (let k = 0; k < m; k++) bd[k] = (bias.data as Float32Array)[perm[k]!]!;
  const wt = ctx.float32Const(`${node.name}_crd_weights`, wd, [...w.shape]);
  const bt = ctx.float32Const(`${node.name}_crd_bias`, bd, [m]);
  const out = ctx.newTensor(`${node.name}_dcr_order`, 'float32', [...g.tensor(tensor).shape], 'NHWC');
  ctx.emit('CONV_2D', [p.inputs[0]!, wt, bt], [out], { ...p.attrs });
  return out;
}

/** 1×1 CONV_2D whose output channel k is input channel perm[k]. */
function permutationConv(ctx: ImportContext, node: OnnxNode, tensor: string, perm: number[]): string {
  const c = perm.length;
  const wd = new Float32Array(c * c);
  perm.forEach((from, k) => (wd[k * c + from] = 1));
  const t = ctx.g.tensor(tensor);
  const out = ctx.newTensor(`${node.name}_dcr_order`, t.dtype, [...t.shape], 'NHWC');
  const attrs = { padding: 'VALID' as const, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'NONE' as const };
  ctx.emit('CONV_2D', [tensor, ctx.float32Const(`${node.name}_crd_perm`, wd, [c, 1, 1, c]), ctx.float32Const(`${node.name}_crd_zero_bias`, new Float32Array(c), [c])], [out], attrs);
  return out;
}
