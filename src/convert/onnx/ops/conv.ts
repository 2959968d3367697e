/**
 * Conv (2-D): group 1 → CONV_2D with OHWI weights; group = C_in → DEPTHWISE_CONV_2D with
 * [1,kH,kW,C·M] weights; other groups → one grouped CONV_2D when both group sizes are multiples of 4,
 * else SPLIT + one CONV_2D per group + CONCATENATION. Pads → SAME / VALID / PAD + VALID.
 */
import type { Attrs } from '../../../ir/node.js';
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { checkPadAttributes, emitPad, outSize, paddingKind, requireOutputCells, resolvePads } from '../lowering/pads.js';
import { importConv3d } from '../lowering/conv3d.js';
import { permuteData } from '../../../ir/ndarray.js';
import { gpuTakesGroupSizes } from '../../gpu/rules.js';

/** Shape-independent: constant weights and bias, pad attributes, a positive group. */
export function checkConv(ctx: ImportContext, node: OnnxNode): void {
  const [w, b] = [node.input(1), node.input(2)];
  if (ctx.isRuntime(w) || !w) ctx.fail('requires-constant-input', `Conv weights (input '${w}') must be a constant`);
  if (ctx.isRuntime(b)) ctx.fail('requires-constant-input', `Conv bias (input '${b}') must be a constant`);
  checkPadAttributes(ctx, node);
  const group = node.int('group', 1);
  if (group < 1) ctx.fail('unsupported-attribute', `group=${group} is not a positive number`);
}

/** Runs after checkConv (the op table's check). */
export function importConv(ctx: ImportContext, node: OnnxNode): void {
  const [x, w, b] = [node.input(0), node.input(1), node.input(2)];
  const xs = ctx.shape(x);
  if (xs.length === 5) return importConv3d(ctx, node);
  if (xs.length !== 4) ctx.fail('unsupported-attribute', `only 1-D, 2-D and 3-D Conv are supported; input '${x}' has rank ${xs.length}`);
  if (!ctx.isConst(w)) ctx.fail('requires-constant-input', `Conv weights (input '${w}') must be a constant`);
  const ws = ctx.shape(w);
  if (ws.length !== 4) ctx.fail('shape-mismatch', `2-D Conv weights '${w}' must be 4-D [M, C/group, kH, kW], got [${ws}]`);
  const [m, cg, kh, kw] = ws as [number, number, number, number];
  const c = xs[1]!;
  const group = node.int('group', 1);
  const strides = node.ints('strides') ?? [1, 1];
  const dil = node.ints('dilations') ?? [1, 1];
  const ks = node.ints('kernel_shape');
  if (ks && (ks[0] !== kh || ks[1] !== kw)) ctx.fail('unsupported-attribute', `kernel_shape [${ks}] disagrees with weights [${ws}]`);
  let bias = new Float32Array(m);
  if (b) {
    const bData = ctx.constFloat32(b);
    if (!bData) ctx.fail('requires-constant-input', `Conv bias (input '${b}') must be a constant`);
    bias = Float32Array.from(bData);
  }
  const kEff = [(kh - 1) * dil[0]! + 1, (kw - 1) * dil[1]! + 1];
  const inHW = [xs[2]!, xs[3]!];
  const pads = resolvePads(ctx, node, inHW, kEff, strides);
  const oh = outSize(inHW[0]!, pads.begin[0], pads.end[0], kEff[0]!, strides[0]!);
  const ow = outSize(inHW[1]!, pads.begin[1], pads.end[1], kEff[1]!, strides[1]!);
  requireOutputCells(ctx, node, [oh, ow], kEff, [0, 1].map((a) => inHW[a]! + pads.begin[a]! + pads.end[a]!));
  let input = ctx.nhwc(x);
  let padding = paddingKind(pads, inHW, kEff, strides);
  if (padding === 'EXPLICIT') {
    input = emitPad(ctx, input, pads);
    padding = 'VALID';
  }
  const attrs = { padding, strideH: strides[0]!, strideW: strides[1]!, dilationH: dil[0]!, dilationW: dil[1]!, activation: 'NONE' as const };
  const biasT = ctx.float32Const(`${node.name}_bias`, bias, [m]);
  const grouped = c % group === 0 && m % group === 0 && cg === c / group;
  // a grouped convolution is one CONV_2D (filter [M, kH, kW, C/group], op version 6) where the GPU
  // delegate takes it (group sizes multiples of 4), else split per group
  if (group === 1 || (grouped && gpuTakesGroupSizes(cg, m / group))) {
    if (cg !== c / group) ctx.fail('shape-mismatch', `weights expect ${cg} input channels, input has ${c}`);
    const wt = ctx.permutedFloat32Const(`${node.name}_weights`, w, [0, 2, 3, 1], [m, kh, kw, cg]);
    const out = ctx.define(node.outputs[0]!, 'float32', [xs[0]!, m, oh, ow], 'NHWC');
    ctx.emit('CONV_2D', [input, wt, biasT], [out], attrs);
  } else if (group === c && cg === 1 && m % c === 0) {
    const wt = ctx.permutedFloat32Const(`${node.name}_weights`, w, [1, 2, 3, 0], [1, kh, kw, m]);
    const out = ctx.define(node.outputs[0]!, 'float32', [xs[0]!, m, oh, ow], 'NHWC');
    ctx.emit('DEPTHWISE_CONV_2D', [input, wt, biasT], [out], { ...attrs, depthMultiplier: m / c });
  } else if (grouped) {
    emitSplitConv(ctx, node, input, ctx.constFloat32(w)!, ws, bias, group, [xs[0]!, m, oh, ow], attrs);
  } else {
    ctx.fail('shape-mismatch', `group=${group} does not divide ${c} input / ${m} output channels of weights [${ws}]`);
  }
}

/**
 * Grouped convolution with a group size the GPU delegate's grouped CONV_2D refuses: SPLIT the NHWC
 * input along channels, one CONV_2D per group (OHWI weights of that group), CONCATENATION of the
 * results — ops every TFLite backend and the GPU delegate take.
 */
function emitSplitConv(
  ctx: ImportContext,
  node: OnnxNode,
  input: string,
  w: Float32Array,
  ws: number[],
  bias: Float32Array,
  group: number,
  onnxOut: number[],
  attrs: Attrs,
): void {
  const [m, cg, kh, kw] = ws as [number, number, number, number];
  const mg = m / group;
  const inT = ctx.g.tensor(input);
  const [n, h, wd] = inT.shape as [number, number, number, number];
  const parts = Array.from({ length: group }, (_, i) => ctx.newTensor(`${node.name}_group${i}_in`, 'float32', [n, h, wd, cg], 'NHWC'));
  ctx.emit('SPLIT', [ctx.int32Const(`${node.name}_split_axis`, [3], []), input], parts, { numSplits: group });
  const ohw = [onnxOut[2]!, onnxOut[3]!];
  const outs = parts.map((part, i) => {
    const wg = w.subarray(i * mg * cg * kh * kw, (i + 1) * mg * cg * kh * kw);
    const wt = ctx.float32Const(`${node.name}_group${i}_weights`, permuteData('float32', wg, [mg, cg, kh, kw], [0, 2, 3, 1]) as Float32Array, [mg, kh, kw, cg]);
    const bt = ctx.float32Const(`${node.name}_group${i}_bias`, bias.slice(i * mg, (i + 1) * mg), [mg]);
    const o = ctx.newTensor(`${node.name}_group${i}_out`, 'float32', [n, ohw[0]!, ohw[1]!, mg], 'NHWC');
    ctx.emit('CONV_2D', [part, wt, bt], [o], attrs);
    return o;
  });
  const out = ctx.define(node.outputs[0]!, 'float32', onnxOut, 'NHWC');
  ctx.emit('CONCATENATION', outs, [out], { axis: 3, activation: 'NONE' });
}
