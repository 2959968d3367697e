/**
 * A MobileNet-v1-class image classifier (224×224, 13 depthwise-separable
 * blocks with BN + ReLU6, global average pool, 1000-way Gemm, Softmax), NCHW
 * opset 13 as PyTorch exports it; seeded He-initialised weights (the classifier's scaled up so the
 * softmax is peaked, as a trained one's is). For the
 * quantization comparison's classifier row (top-1 agreement with the float model).
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

export function buildMobileNetOnnx(opts: MobileNetOptions = {}): Uint8Array {
  const size = opts.size ?? 224;
  const alpha = opts.alpha ?? 0.5;
  const classes = opts.classes ?? 1000;
  const b = new OnnxGraphBuilder({ opset: 13, graphName: 'mobilenet_v1' });
  let seed = (opts.seed ?? 1) * 104729;
  const u = seededRandom(opts.seed ?? 1);
  let n = 0;
  const conv = (x: string, cin: number, cout: number, k: number, stride: number, group: number, gain: number) => {
    const fanIn = (cin / group) * k * k;
    const w = b.init(`conv${n++}.weight`, [cout, cin / group, k, k], normalFloat32(cout * (cin / group) * k * k, seed++, Math.sqrt(gain / fanIn)));
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
  let x = b.input(MOBILENET_INPUT, [1, 3, size, size]);
  let c = Math.round(32 * alpha);
  x = relu6(bn(conv(x, 3, c, 3, 2, 1, 2), c));
  for (const [out, stride] of BLOCKS) {
    const cout = Math.round(out * alpha);
    x = relu6(bn(conv(x, c, c, 3, stride, c, 2), c));
    x = relu6(bn(conv(x, c, cout, 1, 1, 1, 2), cout));
    c = cout;
  }
  x = b.node('GlobalAveragePool', [x]);
  x = b.node('Flatten', [x], { axis: 1 });
  const w = b.init('fc.weight', [classes, c], normalFloat32(classes * c, seed++, 4 / Math.sqrt(c)));
  const bias = b.init('fc.bias', [classes], normalFloat32(classes, seed++, 0.01));
  x = b.node('Gemm', [x, w, bias], { transB: 1 });
  b.node('Softmax', [x], { axis: 1 }, MOBILENET_OUTPUT);
  b.output(MOBILENET_OUTPUT, [1, classes]);
  return b.build();
}
