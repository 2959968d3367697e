/**
 * ConvTranspose on 5-D input (NCDHW) → TRANSPOSE to NDHWC, CONV_3D_TRANSPOSE [output_shape,
 * [kD,kH,kW,M,C] filter, input, bias] with VALID padding and output_shape = the natural size
 * (in−1)·s + kEff per axis, then the ONNX window as in the 2-D importer: a SLICE when pads crop it, a
 * PAD with zeros + ADD of the bias when output_padding / output_shape reach past the natural output,
 * and a TRANSPOSE back. Dilations are the kernel's own; groups become one block-diagonal filter.
 * CONV_3D_TRANSPOSE runs on TFLite's CPU kernels only: the GPU delegate never takes rank-5 tensors,
 * so `--target` reports these nodes (gpu.rank-above-4).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { window3d } from './pads.js';
import { constBias, outputWindow, planAxis } from './conv-transpose-window.js';
import { conv3dAttrs } from './conv3d.js';

/** [kD,kH,kW,M,C] from ONNX [C, M/group, kD, kH, kW], zeros outside each group's block. */
function filter3d(w: Float32Array, ws: number[], group: number): Float32Array {
  const [c, mg, kd, kh, kw] = ws as [number, number, number, number, number];
  const m = mg * group;
  const cg = c / group;
  const out = new Float32Array(kd * kh * kw * m * c);
  for (let ci = 0; ci < c; ci++) {
    const g = Math.floor(ci / cg);
    for (let mm = 0; mm < mg; mm++) {
      const mo = g * mg + mm;
      for (let a = 0; a < kd * kh * kw; a++) out[(a * m + mo) * c + ci] = w[(ci * mg + mm) * kd * kh * kw + a]!;
    }
  }
  return out;
}

/** Runs after checkConvTranspose (the op table's check), for rank-5 inputs. */
export function importConvTranspose3d(ctx: ImportContext, node: OnnxNode): void {
  const [x, w, b] = [node.input(0), node.input(1), node.input(2)];
  const xs = ctx.shape(x);
  const ws = ctx.shape(w);
  if (ws.length !== 5) ctx.fail('shape-mismatch', `weights [${ws}] must be 5-D for a 3-D ConvTranspose`);
  const wData = ctx.constFloat32(w);
  if (!wData) ctx.fail('requires-constant-input', `ConvTranspose weights (input '${w}') must be a constant`);
  const group = node.int('group', 1);
  const [n, c, ...inDhw] = xs as [number, number, number, number, number];
  if (ws[0] !== c || c % group !== 0) ctx.fail('shape-mismatch', `weights [${ws}] do not fit ${c} input channels with group=${group}`);
  const m = ws[1]! * group;
  const k = ws.slice(2);
  const ks = node.ints('kernel_shape');
  if (ks && (ks.length !== 3 || ks.some((v, i) => v !== k[i]))) ctx.fail('unsupported-attribute', `kernel_shape [${ks}] disagrees with weights [${ws}]`);
  const { strides, dil, kEff } = window3d(ctx, node, k, 'a 3-D ConvTranspose');
  const plans = [0, 1, 2].map((a) => planAxis(ctx, node, a, inDhw[a]!, kEff[a]!, strides[a]!, 3));
  if (plans.some((p) => p.out < 1)) ctx.fail('unsupported-attribute', `pads / output_shape give an empty output [${plans.map((p) => p.out)}]`);
  const bias = constBias(ctx, b, m);

  const { natural, lo, hi, inside, cropLo, cropHi, needCrop } = outputWindow(ctx, plans);
  const base = node.name;
  const tmp = (tag: string, shape: number[]) => ctx.newTensor(`${base}_${tag}`, 'float32', shape, 'plain');
  const biasConst = () => ctx.float32Const(`${base}_bias`, bias, [m]);

  const input = tmp('ndhwc', [n, ...inDhw, c]);
  ctx.emit('TRANSPOSE', [ctx.nchw(x), ctx.int32Const(`${input}_perm`, [0, 2, 3, 4, 1])], [input]);
  const wt = ctx.float32Const(`${base}_weights`, filter3d(wData, ws, group), [...k, m, c]);
  let cur = tmp('full', [n, ...natural, m]);
  const shapeT = ctx.int32Const(`${base}_output_shape`, [n, ...natural, m]);
  ctx.emit('CONV_3D_TRANSPOSE', inside ? [shapeT, wt, input, biasConst()] : [shapeT, wt, input], [cur], conv3dAttrs(strides, dil));
  if (needCrop) {
    const size = [n, ...cropHi.map((v, a) => v - cropLo[a]!), m];
    const window = tmp('window', size);
    ctx.emit('SLICE', [cur, ctx.int32Const(`${base}_slice_begin`, [0, ...cropLo, 0]), ctx.int32Const(`${base}_slice_size`, size)], [window]);
    cur = window;
  }
  const outDhw = plans.map((p) => p.out);
  if (!inside) {
    // the window reaches past the computed output: zeros there (ONNX's output_padding / negative pads), then the bias everywhere
    const padded = tmp('padded', [n, ...outDhw, m]);
    const paddings = [0, 0, ...lo.flatMap((v, a) => [Math.max(-v, 0), Math.max(hi[a]! - natural[a]!, 0)]), 0, 0];
    ctx.emit('PAD', [cur, ctx.int32Const(`${padded}_paddings`, paddings, [5, 2])], [padded]);
    const biased = tmp('biased', [n, ...outDhw, m]);
    ctx.emit('ADD', [padded, biasConst()], [biased], { activation: 'NONE' });
    cur = biased;
  }
  const out = ctx.define(node.outputs[0]!, 'float32', [n, m, ...outDhw], 'ONNX');
  ctx.emit('TRANSPOSE', [cur, ctx.int32Const(`${out}_perm`, [0, 4, 1, 2, 3])], [out]);
}
