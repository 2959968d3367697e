/**
 * MobileNetV1 (Howard et al. 2017, Table 1): `mobileNetV1Body` lays out the stem and the 13
 * depthwise-separable blocks for any conv + BN + ReLU6 style (public-nets.ts builds the folded-BN,
 * TF-padded anchor model with it). `buildMobileNetOnnx` is the classifier as PyTorch exports it
 * (224×224, BatchNormalization nodes, ReLU6 as Clip, global average pool, 1000-way Gemm, Softmax),
 * NCHW opset 13, seeded He-initialised weights (the classifier's scaled up so the softmax is peaked,
 * as a trained one's is): the quantization comparison's classifier row (top-1 agreement).
 */
import { OnnxGraphBuilder, attr } from './onnx-model.js';
import { normalFloat32, seededRandom } from '../core/random.js';

export interface MobileNetOptions {
  size?: number;
  /** channel multiplier (1 = 32…1024 channels). Default 0.5. */
  alpha?: number;
  classes?: number;
  seed?: number;
}

export const MOBILENET_INPUT = 'input';
export const MOBILENET_OUTPUT = 'probs';

/** (output channels at alpha 1, stride) of the 13 blocks */
const BLOCKS: Array<[number, number]> = [
  [64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2],
  [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1],
];

/** One conv (group = cin: depthwise) followed by batch norm and ReLU6, in the caller's style; returns its output. */
export type ConvBnRelu6 = (x: string, cin: number, cout: number, k: number, stride: number, group: number) => string;

/** Stem (3×3 stride 2) and the 13 depthwise-separable blocks at width `alpha`: the last tensor and its channels. */
export function mobileNetV1Body(x: string, alpha: number, layer: ConvBnRelu6): { x: string; channels: number } {
  let c = Math.round(32 * alpha);
  let y = layer(x, 3, c, 3, 2, 1);
  for (const [out, stride] of BLOCKS) {
    const cout = Math.round(out * alpha);
    y = layer(layer(y, c, c, 3, stride, c), c, cout, 1, 1, 1);
    c = cout;
  }
  return { x: y, channels: c };
}

export function buildMobileNetOnnx(opts: MobileNetOptions = {}): Uint8Array {
  const size = opts.size ?? 224;
  const alpha = opts.alpha ?? 0.5;
  const classes = opts.classes ?? 1000;
  const b = new OnnxGraphBuilder({ opset: 13, graphName: 'mobilenet_v1' });
  let seed = (opts.seed ?? 1) * 104729;
  const u = seededRandom(opts.seed ?? 1);
  let n = 0;
  const conv = (x: string, cin: number, cout: number, k: number, stride: number, group: number) => {
    const fanIn = (cin / group) * k * k;
    const w = b.init(`conv${n++}.weight`, [cout, cin / group, k, k], normalFloat32(cout * (cin / group) * k * k, seed++, Math.sqrt(2 / fanIn)));
    const p = (k - 1) / 2;
    return b.node('Conv', [x, w], { dilations: [1, 1], group, kernel_shape: [k, k], pads: [p, p, p, p], strides: [stride, stride] });
  };
  const bn = (x: string, c: number) => {
    const v = (lo: number, hi: number) => Float32Array.from({ length: c }, () => lo + (hi - lo) * u());
    const name = `bn${n++}`;
    const ins = [x, b.init(`${name}.weight`, [c], v(0.8, 1.2)), b.init(`${name}.bias`, [c], v(-0.1, 0.1)), b.init(`${name}.mean`, [c], v(-0.1, 0.1)), b.init(`${name}.var`, [c], v(0.7, 1.3))];
    return b.node('BatchNormalization', ins, { epsilon: attr.float(1e-5), momentum: attr.float(0.9) });
  };
  const relu6 = (x: string) => b.node('Clip', [x, b.init(b.name('min'), [], [0]), b.init(b.name('max'), [], [6])]);
  const body = mobileNetV1Body(b.input(MOBILENET_INPUT, [1, 3, size, size]), alpha, (x, cin, cout, k, stride, group) => relu6(bn(conv(x, cin, cout, k, stride, group), cout)));
  const c = body.channels;
  let x = b.node('GlobalAveragePool', [body.x]);
  x = b.node('Flatten', [x], { axis: 1 });
  const w = b.init('fc.weight', [classes, c], normalFloat32(classes * c, seed++, 4 / Math.sqrt(c)));
  const bias = b.init('fc.bias', [classes], normalFloat32(classes, seed++, 0.01));
  x = b.node('Gemm', [x, w, bias], { transB: 1 });
  b.node('Softmax', [x], { axis: 1 }, MOBILENET_OUTPUT);
  b.output(MOBILENET_OUTPUT, [1, classes]);
  return b.build();
}
