/**
 * LRN (local response normalization across channels) as GPU ops, on the NHWC-held input:
 *   d = CONV_2D(x·x, W, bias)  with W a banded [C, 1, 1, C] matrix holding α/size on the window
 *                              [c − (size−1)/2, c + (size−1)/2] of each output channel c (odd sizes)
 *   y = x · POW(d, −β)
 * The 1×1 conv sums each channel's window of squares. TFLite's LOCAL_RESPONSE_NORMALIZATION computes the
 * same for odd sizes but never runs on the GPU delegate.
 */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';

export function checkLrn(ctx: ImportContext, node: OnnxNode): void {
  const size = node.int('size') ?? 0;
  if (size < 1 || size % 2 === 0) {
    // an even window is asymmetric in ONNX (and differently so in PyTorch); onnxruntime refuses it too
    ctx.fail('unsupported-attribute', `LRN size ${size}: only odd window sizes are supported (as onnxruntime)`);
  }
}

export function importLrn(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const xs = ctx.shape(x);
  if (xs.length !== 4) ctx.fail('unsupported-shape', `LRN of rank-${xs.length} '${x}' [${xs}]: only 4-D [N, C, H, W] input is supported`);
  const c = xs[1]!;
  const size = node.int('size')!;
  const alpha = node.float('alpha', 1e-4)!;
  const beta = node.float('beta', 0.75)!;
  const bias = node.float('bias', 1)!;
  const r = (size - 1) / 2;
  const w = new Float32Array(c * c);
  for (let o = 0; o < c; o++) for (let i = Math.max(0, o - r); i <= Math.min(c - 1, o + r); i++) w[o * c + i] = alpha / size;
  const input = ctx.nhwc(x);
  const t = (s: string) => ctx.newTensor(`${node.name}_${s}`, 'float32', ctx.irShape(input), 'NHWC');
  const squared = t('squared');
  ctx.emit('MUL', [input, input], [squared], { activation: 'NONE' });
  const d = t('denominator');
  const attrs = { padding: 'VALID' as const, strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, activation: 'NONE' as const };
  ctx.emit('CONV_2D', [squared, ctx.float32Const(`${node.name}_window`, w, [c, 1, 1, c]), ctx.float32Const(`${node.name}_bias`, new Float32Array(c).fill(bias), [c])], [d], attrs);
  const scale = t('scale');
  ctx.emit('POW', [d, ctx.scalarConst(`${node.name}_neg_beta`, 'float32', -beta)], [scale]);
  ctx.emit('MUL', [input, scale], [ctx.define(node.outputs[0]!, 'float32', xs, 'NHWC')], { activation: 'NONE' });
}
