/**
 * ConvTranspose (2-D) → TRANSPOSE_CONV [output_shape, OHWI weights, input, bias] (1-D: lowering/lift-1d.ts;
 * 3-D: CONV_3D_TRANSPOSE, lowering/conv-transpose3d.ts).
 *
 * ONNX computes the "full" transposed convolution (size (in−1)·s + kEff, extended with zeros by
 * output_padding) and keeps the window [pads_begin, pads_begin + out). TFLite computes
 * out[y] = Σ in[i]·w[y + pad_top − i·s]:
 * - SAME reproduces ONNX exactly when out = in·s, in % s = 0 (or s = 1), kEff ≥ s and
 *   pads_begin = ⌊(kEff − s)/2⌋ on both axes — the GPU delegate's SAME padding agrees then too;
 * - otherwise VALID with output_shape = the natural size (in−1)·s + kEff (what the GPU delegate
 *   computes for VALID), then a SLICE for the window; a window reaching past the natural output
 *   (output_padding, negative pads) is PAD-ded with zeros and the bias is ADDed after.
 * Dilations are exact as a zero-inserted kernel; group > 1 as one block-diagonal kernel (C·M
 * weights instead of C·M/group: one GPU op instead of a SPLIT / CONCATENATION of group ops).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { constBias, outputWindow, planAxis, type AxisPlan } from '../lowering/conv-transpose-window.js';
import { importConvTranspose3d } from '../lowering/conv-transpose3d.js';
import { checkPadAttributes } from '../lowering/pads.js';

/** Shape-independent: constant weights and bias, pad attributes, a positive group. */
export function checkConvTranspose(ctx: ImportContext, node: OnnxNode): void {
  const [w, b] = [node.input(1), node.input(2)];
  if (!w || ctx.isRuntime(w)) ctx.fail('requires-constant-input', `ConvTranspose weights (input '${w}') must be a constant: TFLite TRANSPOSE_CONV on the GPU takes constant weights only`);
  if (ctx.isRuntime(b)) ctx.fail('requires-constant-input', `ConvTranspose bias (input '${b}') must be a constant`);
  checkPadAttributes(ctx, node);
  const group = node.int('group', 1);
  if (group < 1) ctx.fail('unsupported-attribute', `group=${group} is not a positive number`);
  const dil = node.ints('dilations') ?? [];
  if (dil.some((d) => d < 1)) ctx.fail('unsupported-attribute', `dilations [${dil}] must be positive`);
}

/** TFLite SAME computes exactly this axis (CPU kernel and GPU delegate alike). */
function sameFits(p: AxisPlan): boolean {
  const divides = p.stride === 1 || p.inSize % p.stride === 0;
  return p.out === p.inSize * p.stride && divides && p.kEff >= p.stride && p.begin === Math.floor((p.kEff - p.stride) / 2);
}

/** OHWI [M, kEffH, kEffW, C] from ONNX [C, M/group, kh, kw]: zero-inserted for dilation, block-diagonal for groups. */
function tfliteWeights(w: Float32Array, ws: number[], group: number, dil: number[]): { data: Float32Array; shape: number[] } {
  const [c, mg, kh, kw] = ws as [number, number, number, number];
  const m = mg * group;
  const cg = c / group;
  const eh = (kh - 1) * dil[0]! + 1;
  const ew = (kw - 1) * dil[1]! + 1;
  const out = new Float32Array(m * eh * ew * c);
  for (let ci = 0; ci < c; ci++) {
    const g = Math.floor(ci / cg);
    for (let mm = 0; mm < mg; mm++) {
      const mo = g * mg + mm;
      for (let y = 0; y < kh; y++) {
        for (let x = 0; x < kw; x++) {
          out[((mo * eh + y * dil[0]!) * ew + x * dil[1]!) * c + ci] = w[((ci * mg + mm) * kh + y) * kw + x]!;
        }
      }
    }
  }
  return { data: out, shape: [m, eh, ew, c] };
}

/** Runs after checkConvTranspose (the op table's check). */
export function importConvTranspose(ctx: ImportContext, node: OnnxNode): void {
  const [x, w, b] = [node.input(0), node.input(1), node.input(2)];
  const xs = ctx.shape(x);
  if (xs.length === 5) return importConvTranspose3d(ctx, node);
  if (xs.length !== 4) ctx.fail('unsupported-attribute', `only 1-D, 2-D and 3-D ConvTranspose are supported; input '${x}' has rank ${xs.length}`);
  const wData = ctx.constFloat32(w);
  if (!wData) ctx.fail('requires-constant-input', `ConvTranspose weights (input '${w}') must be a constant`);
  const ws = ctx.shape(w);
  if (ws.length !== 4) ctx.fail('shape-mismatch', `weights [${ws}] must be 4-D for a 2-D ConvTranspose`);
  const group = node.int('group', 1);
  const [n, c] = [xs[0]!, xs[1]!];
  if (ws[0] !== c || c % group !== 0) ctx.fail('shape-mismatch', `weights [${ws}] do not fit ${c} input channels with group=${group}`);
  const m = ws[1]! * group;
  const ks = node.ints('kernel_shape');
  if (ks && (ks[0] !== ws[2] || ks[1] !== ws[3])) ctx.fail('unsupported-attribute', `kernel_shape [${ks}] disagrees with weights [${ws}]`);
  const strides = node.ints('strides') ?? [1, 1];
  const dil = node.ints('dilations') ?? [1, 1];
  if (strides.some((s) => s < 1)) ctx.fail('unsupported-attribute', `strides [${strides}] must be positive`);
  const kEff = [(ws[2]! - 1) * dil[0]! + 1, (ws[3]! - 1) * dil[1]! + 1];
  const plans = [0, 1].map((a) => planAxis(ctx, node, a, xs[2 + a]!, kEff[a]!, strides[a]!)) as [AxisPlan, AxisPlan];
  if (plans.some((p) => p.out < 1)) ctx.fail('unsupported-attribute', `pads / output_shape give an empty output [${plans.map((p) => p.out)}]`);
  const bias = constBias(ctx, b, m);
  const weights = tfliteWeights(wData, ws, group, dil);
  const wt = ctx.float32Const(`${node.name}_weights`, weights.data, weights.shape);
  const input = ctx.nhwc(x);
  const onnxOut = [n, m, plans[0].out, plans[1].out];
  const attrs = { strideH: strides[0]!, strideW: strides[1]!, activation: 'NONE' as const };
  const biasConst = () => ctx.float32Const(`${node.name}_bias`, bias, [m]);

  if (plans.every(sameFits)) {
    const out = ctx.define(node.outputs[0]!, 'float32', onnxOut, 'NHWC');
    const shapeT = ctx.int32Const(`${node.name}_output_shape`, [n, plans[0].out, plans[1].out, m]);
    ctx.emit('TRANSPOSE_CONV', [shapeT, wt, input, biasConst()], [out], { ...attrs, padding: 'SAME' });
    return;
  }
  const { natural, lo, hi, inside, cropLo, cropHi, needCrop } = outputWindow(ctx, plans);
  const define = () => ctx.define(node.outputs[0]!, 'float32', onnxOut, 'NHWC');
  const tmp = (base: string, shape: number[]) => ctx.newTensor(`${node.name}_${base}`, 'float32', shape, 'NHWC');

  const convOut = !needCrop && inside ? define() : tmp('full', [n, natural[0]!, natural[1]!, m]);
  const shapeT = ctx.int32Const(`${node.name}_output_shape`, [n, natural[0]!, natural[1]!, m]);
  ctx.emit('TRANSPOSE_CONV', inside ? [shapeT, wt, input, biasConst()] : [shapeT, wt, input], [convOut], { ...attrs, padding: 'VALID' });
  if (!needCrop && inside) return;
  let cur = convOut;
  if (needCrop) {
    const size = [n, cropHi[0]! - cropLo[0]!, cropHi[1]! - cropLo[1]!, m];
    cur = inside ? define() : tmp('window', size);
    ctx.emit('SLICE', [convOut, ctx.int32Const(`${node.name}_slice_begin`, [0, cropLo[0]!, cropLo[1]!, 0]), ctx.int32Const(`${node.name}_slice_size`, size)], [cur]);
  }
  if (inside) return;
  // the window reaches past the computed output: zeros there (ONNX's output_padding / negative pads), then the bias everywhere
  const before = lo.map((v) => Math.max(-v, 0));
  const after = hi.map((v, a) => Math.max(v - natural[a]!, 0));
  const padded = tmp('padded', [n, plans[0].out, plans[1].out, m]);
  ctx.emit('PAD', [cur, ctx.int32Const(`${padded}_paddings`, [0, 0, before[0]!, after[0]!, before[1]!, after[1]!, 0, 0], [4, 2])], [padded]);
  ctx.emit('ADD', [padded, biasConst()], [define()], { activation: 'NONE' });
}
