/**
 * 3-D MaxPool / AveragePool ([N, C, D, H, W]) as two 2-D pools, since a box window is separable:
 * - the H×W pass pools NHWC [1, H, W, N·C·D] with the node's H/W kernel, strides, dilations and pads;
 * - the depth pass pools NHWC [1, D, H'·W', N·C] with a [kD, 1] kernel (depth stride, dilation, pads).
 * Each pass is the 2-D importer on a synthetic node (ceil_mode and count_include_pad passed on). The
 * batch stays 1 (the GPU delegate broadcasts an average's [H', W', 1] divisor map only over batch 1),
 * so rank-2/3 TRANSPOSEs move the pooled axes in and out; the only rank-5 tensors are the graph's
 * input and output RESHAPEs.
 *
 * Max is exact: the max of maxes. Average is exact too: ONNX divides a window's sum by its cell count,
 * which is a product of per-axis counts (count_include_pad=0: real cells per axis; 1: cells up to
 * ONNX's pads per axis, never the ceil_mode extension) — the same per-axis rules each 2-D pass
 * applies, so mean(depth) ∘ mean(H×W) = sum / (count_D · count_H · count_W).
 */
import type { ImportContext } from '../context.js';
import { OnnxNode } from '../node.js';
import { onnx, type AttributeProto } from '../proto.js';
import { ceilOutSize, outSize, requireOutputCells, resolvePads3d, window3d } from './pads.js';

const AT = onnx.AttributeProto.AttributeType;

type Importer = (ctx: ImportContext, node: OnnxNode) => void;

interface Pass {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** ONNX 2-D order [begin0, begin1, end0, end1]. */
  pads: [number, number, number, number];
}

function passNode(node: OnnxNode, name: string, input: string, output: string, p: Pass): OnnxNode {
  const ints = (n: string, v: number[]) => onnx.AttributeProto.create({ name: n, type: AT.INTS, ints: v }) as AttributeProto;
  const int = (n: string, v: number) => onnx.AttributeProto.create({ name: n, type: AT.INT, i: v }) as AttributeProto;
  const attribute = [ints('kernel_shape', p.kernel), ints('strides', p.strides), ints('dilations', p.dilations), ints('pads', p.pads)];
  attribute.push(int('ceil_mode', node.int('ceil_mode', 0)));
  if (node.opType === 'AveragePool') attribute.push(int('count_include_pad', node.int('count_include_pad', 0)));
  const proto = onnx.NodeProto.create({ name, opType: node.opType, input: [input], output: [output], attribute });
  return new OnnxNode(proto as ConstructorParameters<typeof OnnxNode>[0], 0);
}

const trivial = (p: Pass) => p.kernel.every((k) => k === 1) && p.strides.every((s) => s === 1) && p.pads.every((v) => v === 0);

/** Runs after checkPool, for rank-5 inputs; `pool2d` is the 2-D importer of the same kind. */
export function importPool3d(ctx: ImportContext, node: OnnxNode, pool2d: Importer): void {
  const x = node.input(0);
  const [n, c, ...inDhw] = ctx.shape(x) as [number, number, number, number, number];
  const k = node.ints('kernel_shape')!;
  if (k.length !== 3) ctx.fail('unsupported-attribute', `kernel_shape [${k}] must have 3 values for a 5-D input`);
  const { strides, dil, kEff } = window3d(ctx, node, k, 'a 5-D input');
  const { begin, end } = resolvePads3d(ctx, node, inDhw, kEff, strides);
  const size = node.int('ceil_mode', 0) === 1 ? ceilOutSize : outSize;
  const outCells = inDhw.map((d, i) => size(d, begin[i]!, end[i]!, kEff[i]!, strides[i]!));
  requireOutputCells(ctx, node, outCells, kEff, inDhw.map((d, i) => d + begin[i]! + end[i]!));
  const hw: Pass = { kernel: [k[1]!, k[2]!], strides: [strides[1]!, strides[2]!], dilations: [dil[1]!, dil[2]!], pads: [begin[1]!, begin[2]!, end[1]!, end[2]!] };
  const depth: Pass = { kernel: [k[0]!, 1], strides: [strides[0]!, 1], dilations: [dil[0]!, 1], pads: [begin[0]!, 0, end[0]!, 0] };
  const [d, h, w] = inDhw;
  const base = node.name;
  const nc = n * c;

  // a pass pools NHWC [1, A, B, channels]: batch 1, so the divisor map of an average (a constant
  // [A', B', 1] MUL) broadcasts the way the GPU delegate takes it
  let cur = ctx.nchw(x); // ONNX order [N, C, D, H, W]
  const run = (p: Pass, tag: string, ab: [number, number], channels: number): [number, number] => {
    const inName = `${base}__${tag}_in`;
    const outName = `${base}__${tag}_out`;
    ctx.bind(inName, cur, ctx.g.tensor(cur).dtype, [1, channels, ab[0], ab[1]], 'NHWC');
    pool2d(ctx, passNode(node, `${base}_${tag}`, inName, outName, p));
    cur = ctx.nhwc(outName);
    const os = ctx.shape(outName);
    return [os[2]!, os[3]!];
  };
  let [od, oh, ow] = [d, h, w];
  const doHw = !trivial(hw) || trivial(depth);
  if (doHw) {
    // [N·C·D, H·W] → [H, W, N·C·D]
    cur = regroup(ctx, cur, [nc * d, h * w], [1, 0], [1, h, w, nc * d], `${base}_hw_in`);
    [oh, ow] = run(hw, 'hw', [h, w], nc * d);
  }
  if (!trivial(depth)) {
    // from [N·C, D, H'·W'] (ONNX order) or [H'·W', N·C, D] (after the H×W pass) → [D, H'·W', N·C]
    const [shape, perm] = doHw ? [[oh * ow, nc, d], [2, 0, 1]] : [[nc, d, oh * ow], [1, 2, 0]];
    cur = regroup(ctx, cur, shape, perm, [1, d, oh * ow, nc], `${base}_depth_in`);
    [od] = run(depth, 'depth', [d, oh * ow], nc);
    cur = regroup(ctx, cur, [od * oh * ow, nc], [1, 0], [nc, od * oh * ow], `${base}_ncdhw`);
  } else {
    cur = regroup(ctx, cur, [oh * ow, nc * d], [1, 0], [nc * d, oh * ow], `${base}_ncdhw`);
  }
  const outShape = [n, c, od, oh, ow];
  const out = ctx.define(node.outputs[0]!, ctx.g.tensor(cur).dtype, outShape, 'ONNX');
  ctx.emit('RESHAPE', [cur, ctx.int32Const(`${out}_shape`, outShape)], [out], { newShape: outShape });
}

/** RESHAPE `src` to `view`, permute it by `perm`, RESHAPE to `shape` (each step only when it changes something). */
function regroup(ctx: ImportContext, src: string, view: number[], perm: number[], shape: number[], base: string): string {
  const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  let t = same(ctx.irShape(src), view) ? src : ctx.reshape(src, view, 'plain', `${base}_view`);
  t = ctx.permute(t, perm, 'plain', `${base}_moved`);
  return same(ctx.irShape(t), shape) ? t : ctx.reshape(t, shape, shape.length === 4 ? 'NHWC' : 'plain', base);
}
