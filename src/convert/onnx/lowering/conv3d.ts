/**
 * Conv on 5-D input (NCDHW) → TRANSPOSE to NDHWC, PAD (explicit pads), CONV_3D VALID with a
 * [kD,kH,kW,C,M] filter and bias, TRANSPOSE back. Groups become one block-diagonal filter. CONV_3D
 * runs on TFLite's CPU kernels only: the GPU delegate never takes rank-5 tensors, so `--target`
 * reports these nodes (gpu.rank-above-4).
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { outSize, requireOutputCells, resolvePads3d, window3d } from './pads.js';

function transpose(ctx: ImportContext, base: string, src: string, perm: number[], shape: number[], dst?: string): string {
  const out = dst ?? ctx.newTensor(base, 'float32', shape, 'plain');
  ctx.emit('TRANSPOSE', [src, ctx.int32Const(`${base}_perm`, perm)], [out]);
  return out;
}

/** Runs after checkConv (the op table's check), for rank-5 inputs. */
export function importConv3d(ctx: ImportContext, node: OnnxNode): void {
  const [x, w, b] = [node.input(0), node.input(1), node.input(2)];
  const xs = ctx.shape(x);
  const ws = ctx.shape(w);
  if (ws.length !== 5) ctx.fail('shape-mismatch', `3-D Conv weights must be 5-D, got [${ws}]`);
  const [n, c, ...inDhw] = xs as [number, number, number, number, number];
  const [m, cg, ...k] = ws as [number, number, number, number, number];
  const group = node.int('group', 1);
  if (c % group !== 0 || m % group !== 0 || cg !== c / group) ctx.fail('shape-mismatch', `group=${group} does not divide ${c} input / ${m} output channels of weights [${ws}]`);
  const { strides, dil, kEff } = window3d(ctx, node, k, 'a 5-D input');
  const { begin, end } = resolvePads3d(ctx, node, inDhw, kEff, strides);
  const outDhw = inDhw.map((d, i) => outSize(d, begin[i]!, end[i]!, kEff[i]!, strides[i]!));
  requireOutputCells(ctx, node, outDhw, kEff, inDhw.map((d, i) => d + begin[i]! + end[i]!));

  // filter [kD,kH,kW,C,M]: ONNX [M, C/g, kD, kH, kW] with zeros outside each group's block
  const src = ctx.constFloat32(w);
  if (!src) ctx.fail('requires-constant-input', `Conv weights (input '${w}') must be a constant`);
  const [kd, kh, kw] = k as [number, number, number];
  const filter = new Float32Array(kd * kh * kw * c * m);
  const mg = m / group;
  for (let o = 0; o < m; o++) {
    const g = Math.floor(o / mg);
    for (let ci = 0; ci < cg; ci++) {
      for (let a = 0; a < kd; a++) {
        for (let bb = 0; bb < kh; bb++) {
          for (let cc = 0; cc < kw; cc++) {
            const v = src[((((o * cg + ci) * kd + a) * kh + bb) * kw) + cc]!;
            filter[((((a * kh + bb) * kw + cc) * c + (g * cg + ci)) * m) + o] = v;
          }
        }
      }
    }
  }
  const bias = b ? ctx.constFloat32(b) : new Float32Array(m);
  if (!bias) ctx.fail('requires-constant-input', `Conv bias (input '${b}') must be a constant`);

  const base = node.name;
  let cur = transpose(ctx, `${base}_ndhwc`, ctx.nchw(x), [0, 2, 3, 4, 1], [n, ...inDhw, c]);
  if (begin.some((v) => v > 0) || end.some((v) => v > 0)) {
    const padded = ctx.newTensor(`${base}_padded`, 'float32', [n, ...inDhw.map((d, i) => d + begin[i]! + end[i]!), c], 'plain');
    const paddings = [0, 0, ...begin.flatMap((v, i) => [v, end[i]!]), 0, 0];
    ctx.emit('PAD', [cur, ctx.int32Const(`${padded}_paddings`, paddings, [5, 2])], [padded]);
    cur = padded;
  }
  const conv = ctx.newTensor(`${base}_conv3d`, 'float32', [n, ...outDhw, m], 'plain');
  ctx.emit('CONV_3D', [cur, ctx.float32Const(`${base}_weights`, filter, [kd, kh, kw, c, m]), ctx.float32Const(`${base}_bias`, Float32Array.from(bias), [m])], [conv], conv3dAttrs(strides, dil));
  const out = ctx.define(node.outputs[0]!, 'float32', [n, m, ...outDhw], 'ONNX');
  transpose(ctx, `${base}_ncdhw`, conv, [0, 4, 1, 2, 3], [n, m, ...outDhw], out);
}

/** Conv3DOptions of a VALID CONV_3D / CONV_3D_TRANSPOSE with per-axis (D, H, W) strides and dilations. */
export function conv3dAttrs(strides: readonly number[], dil: readonly number[]) {
  return {
    padding: 'VALID' as const,
    strideD: strides[0]!,
    strideH: strides[1]!,
    strideW: strides[2]!,
    dilationD: dil[0]!,
    dilationH: dil[1]!,
    dilationW: dil[2]!,
    activation: 'NONE' as const,
  };
}
