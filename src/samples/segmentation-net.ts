/**
 * A real-size segmentation network for the quantization benchmark and tests:
 * a U-Net-style encoder–decoder at 1024×1024 with ~120 convolutions and
 * ~170 MB of float32 weights (most in a bottleneck of full 3×3 convs at 1/128
 * resolution), NCHW opset 13 as PyTorch exports it. Every scale is set by the
 * options, so tests build the same topology small.
 *
 *   stem      Conv3×3/2 + Relu                                     (w,  S/2)
 *   stage i   dw3×3/2 + pw1×1 + Relu, then blocks × (dw3×3 + pw1×1 + Relu)
 *             i = 1..4                                             (2^i·w, S/2^(i+1))
 *   neck      2 × (dw3×3/2 + pw1×1 + Relu), heavy × (Conv3×3 + Relu)  (neck, S/128)
 *   decoder   per level up to S: Resize×2 → pw1×1 + Relu (+ skip, averaged) → 2 × (dw3×3 + pw1×1 + Relu)
 *   head      Conv1×1 (bias) → Sigmoid                             → mask [1,1,S,S]
 *
 * Weights are seeded and He-initialised so activations stay O(1).
 */
import { internalError } from '../core/errors.js';
import { OnnxGraphBuilder } from './onnx-model.js';
import { normalFloat32 } from '../core/random.js';

export interface SegmentationNetOptions {
  /** Input height = width (multiple of 128). Default 1024. */
  size?: number;
  /** Stem width; stage i has 2^i·width channels. Default 16. */
  width?: number;
  /** Blocks per encoder stage. Default [4, 6, 9, 12]. */
  blocks?: [number, number, number, number];
  /** Bottleneck channels and its number of full 3×3 convs (the weight mass). Default 512 and 18. */
  neck?: number;
  heavy?: number;
  seed?: number;
}

export const SEGMENTATION_INPUT = 'image';
export const SEGMENTATION_OUTPUT = 'mask';

/** Serialized ONNX model: input `image` [1,3,S,S] float32, output `mask` [1,1,S,S] in (0,1). */
export function buildSegmentationNetOnnx(opts: SegmentationNetOptions = {}): Uint8Array {
  const size = opts.size ?? 1024;
  const w = opts.width ?? 16;
  const blocks = opts.blocks ?? [4, 6, 9, 12];
  const neck = opts.neck ?? 512;
  const heavy = opts.heavy ?? 18;
  if (size % 128 !== 0) throw internalError(`segmentation net: size ${size} must be a positive multiple of 128`);
  const b = new OnnxGraphBuilder({ opset: 13, graphName: 'segmentation_unet' });
  let seed = (opts.seed ?? 1) * 7919;
  let convs = 0;
  // gain 2 before a Relu (He), 1 for a linear conv (depthwise, head): the activation scale stays O(1) with depth
  const conv = (x: string, cin: number, cout: number, k: number, stride: number, group = 1, bias = false, gain = 2): string => {
    const fanIn = (cin / group) * k * k;
    const name = `conv${convs++}`;
    const ins = [x, b.init(`${name}.weight`, [cout, cin / group, k, k], normalFloat32(cout * (cin / group) * k * k, seed++, Math.sqrt(gain / fanIn)))];
    if (bias) ins.push(b.init(`${name}.bias`, [cout], normalFloat32(cout, seed++, 0.1)));
    const p = (k - 1) / 2;
    return b.node('Conv', ins, { dilations: [1, 1], group, kernel_shape: [k, k], pads: [p, p, p, p], strides: [stride, stride] });
  };
  const relu = (x: string) => b.node('Relu', [x]);
  /** depthwise 3×3 (stride s) then pointwise cin → cout, Relu */
  const sep = (x: string, cin: number, cout: number, stride = 1) => relu(conv(conv(x, cin, cin, 3, stride, cin, false, 1), cin, cout, 1, 1));
  const up2 = (x: string) => b.node('Resize', [x, '', b.init(b.name('scales'), [4], [1, 1, 2, 2])], { coordinate_transformation_mode: 'asymmetric', mode: 'nearest', nearest_mode: 'floor' });

  const input = b.input(SEGMENTATION_INPUT, [1, 3, size, size]);
  let x = relu(conv(input, 3, w, 3, 2));
  const skips: Array<{ t: string; c: number }> = [{ t: x, c: w }];
  let c = w;
  for (const [i, n] of blocks.entries()) {
    const cout = w * 2 ** (i + 1);
    x = sep(x, c, cout, 2);
    c = cout;
    for (let k = 0; k < n; k++) x = sep(x, c, c);
    skips.push({ t: x, c });
  }
  x = sep(x, c, neck, 2);
  x = sep(x, neck, neck, 2);
  c = neck;
  for (let k = 0; k < heavy; k++) x = relu(conv(x, c, c, 3, 1));
  // decoder: S/64 (no skip), S/32 … S/2 (skips, deepest first), S (no skip)
  const levels: Array<{ c: number; skip?: string }> = [{ c: skips[skips.length - 1]!.c }];
  for (let i = skips.length - 1; i >= 0; i--) levels.push({ c: skips[i]!.c, skip: skips[i]!.t });
  levels.push({ c: Math.max(4, w / 2) });
  for (const level of levels) {
    x = relu(conv(up2(x), c, level.c, 1, 1));
    c = level.c;
    if (level.skip) x = b.node('Mul', [b.node('Add', [x, level.skip]), b.init(b.name('half'), [], [0.5])]);
    x = sep(sep(x, c, c), c, c);
  }
  b.node('Sigmoid', [conv(x, c, 1, 1, 1, 1, true, 1)], {}, SEGMENTATION_OUTPUT);
  b.output(SEGMENTATION_OUTPUT, [1, 1, size, size]);
  return b.build();
}
