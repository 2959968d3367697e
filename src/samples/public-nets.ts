/**
 * Public image-classification architectures as ONNX (NCHW, opset 13, BatchNorm
 * folded into conv biases as in the hosted TFLite models), with seeded random
 * weights: the models behind the published GPU latencies the simulator is
 * calibrated on (src/devicelab/sim/anchors.ts). Latency does not depend on the
 * weights; the layer shapes follow the papers:
 *   MobileNetV1 1.0 (Howard et al. 2017, Table 1), MobileNetV2 1.0 (Sandler et
 *   al. 2018, Table 2), SqueezeNet 1.0 (Iandola et al. 2016, Table 1),
 *   MobileNetV3-Large / -Small (Howard et al. 2019, Tables 1–2, width
 *   multiplier as in its reference code), EfficientNet-Lite0 (tensorflow/tpu
 *   efficientnet/lite: EfficientNet-B0 blocks without squeeze-excite, ReLU6).
 */
import { OnnxGraphBuilder } from './onnx-model.js';
import { uniformFloat32 } from '../core/random.js';
import { mobileNetV1Body } from './mobilenet.js';

export type PublicNetId = 'mobilenet-v1' | 'mobilenet-v2' | 'squeezenet-1.0' | 'mobilenet-v3-large-0.75' | 'mobilenet-v3-small-0.75' | 'efficientnet-lite0';

export const PUBLIC_NET_IDS: readonly PublicNetId[] = ['mobilenet-v1', 'mobilenet-v2', 'squeezenet-1.0', 'mobilenet-v3-large-0.75', 'mobilenet-v3-small-0.75', 'efficientnet-lite0'];

type Act = 'relu' | 'relu6' | 'hswish' | 'none';

/** Channels rounded to a multiple of 8, never below 90 % of the request (the MobileNet reference code's rule). */
function makeDivisible(v: number, d = 8): number {
  const n = Math.max(d, Math.floor(v + d / 2) - ((Math.floor(v + d / 2)) % d));
  return n < 0.9 * v ? n + d : n;
}

class Net {
  readonly b: OnnxGraphBuilder;
  private seed: number;
  /** Spatial size (H = W) of every NCHW tensor, for TF-style SAME padding. */
  readonly size = new Map<string, number>();
  constructor(name: string, seed: number) {
    this.b = new OnnxGraphBuilder({ opset: 14, graphName: name });
    this.seed = seed * 7919;
  }

  keep(from: string, to: string, size = this.size.get(from)!): string {
    this.size.set(to, size);
    return to;
  }

  act(x: string, a: Act): string {
    if (a === 'relu') return this.keep(x, this.b.node('Relu', [x]));
    if (a === 'relu6') return this.keep(x, this.b.node('Clip', [x, this.b.init(this.b.name('min'), [], [0]), this.b.init(this.b.name('max'), [], [6])]));
    if (a === 'hswish') return this.keep(x, this.b.node('HardSwish', [x]));
    return x;
  }

  /** Conv (+ folded-BN bias) + activation, TF `SAME` padding; `group` = cin makes it depthwise. */
  conv(x: string, cin: number, cout: number, k: number, stride: number, a: Act, group = 1): string {
    const fanIn = (cin / group) * k * k;
    const w = this.b.init(this.b.name('w'), [cout, cin / group, k, k], uniformFloat32(cout * fanIn, this.seed++, -Math.sqrt(6 / fanIn), Math.sqrt(6 / fanIn)));
    const bias = this.b.init(this.b.name('b'), [cout], uniformFloat32(cout, this.seed++, -0.05, 0.05));
    const n = this.size.get(x)!;
    const out = Math.ceil(n / stride);
    const total = Math.max((out - 1) * stride + k - n, 0);
    const lo = Math.floor(total / 2);
    const y = this.b.node('Conv', [x, w, bias], { group, kernel_shape: [k, k], pads: [lo, lo, total - lo, total - lo], strides: [stride, stride] });
    return this.act(this.keep(x, y, out), a);
  }

  /** Squeeze-and-excite: global pool → 1×1 reduce (ReLU) → 1×1 expand (hard sigmoid) → scale. */
  se(x: string, c: number, squeeze: number): string {
    const p = this.keep(x, this.b.node('GlobalAveragePool', [x]), 1);
    const s = this.conv(this.conv(p, c, squeeze, 1, 1, 'relu'), squeeze, c, 1, 1, 'none');
    return this.keep(x, this.b.node('Mul', [x, this.b.node('HardSigmoid', [s], { alpha: 1 / 6, beta: 0.5 })]));
  }

  /** Inverted residual: 1×1 expand → k×k depthwise → (SE) → 1×1 project, + input when shapes match. */
  mbBlock(x: string, cin: number, exp: number, cout: number, k: number, stride: number, a: Act, se = 0): string {
    let y = exp !== cin ? this.conv(x, cin, exp, 1, 1, a) : x;
    y = this.conv(y, exp, exp, k, stride, a, exp);
    if (se) y = this.se(y, exp, se);
    y = this.conv(y, exp, cout, 1, 1, 'none');
    return stride === 1 && cin === cout ? this.keep(y, this.b.node('Add', [y, x])) : y;
  }

  /** Global pool → 1×1 classifier (1001 classes, as the hosted TFLite models) → softmax. */
  head(x: string, c: number, classes = 1001): void {
    const p = this.keep(x, this.b.node('GlobalAveragePool', [x]), 1);
    const logits = this.b.node('Flatten', [this.conv(p, c, classes, 1, 1, 'none')], { axis: 1 });
    this.b.node('Softmax', [logits], { axis: 1 }, 'probs');
    this.b.output('probs', [1, classes]);
  }
}

function mobilenetV1(n: Net, x: string): void {
  const body = mobileNetV1Body(x, 1, (y, cin, cout, k, stride, group) => n.conv(y, cin, cout, k, stride, 'relu6', group));
  n.head(body.x, body.channels);
}

/** MobileNetV2 and EfficientNet-Lite0 share the block: rows (expansion t, out c, repeats, stride, kernel). */
function invertedResidualNet(n: Net, x: string, rows: Array<[number, number, number, number, number]>, stem: number, last: number): void {
  let y = n.conv(x, 3, stem, 3, 2, 'relu6');
  let c = stem;
  for (const [t, out, reps, s, k] of rows) {
    for (let i = 0; i < reps; i++) {
      y = n.mbBlock(y, c, c * t, out, k, i === 0 ? s : 1, 'relu6');
      c = out;
    }
  }
  n.head(n.conv(y, c, last, 1, 1, 'relu6'), last);
}

function fire(n: Net, x: string, cin: number, s: number, e: number): string {
  const sq = n.conv(x, cin, s, 1, 1, 'relu');
  return n.keep(sq, n.b.node('Concat', [n.conv(sq, s, e, 1, 1, 'relu'), n.conv(sq, s, e, 3, 1, 'relu')], { axis: 1 }));
}

function squeezenet10(n: Net, x: string): void {
  const pool = (v: string) => n.keep(v, n.b.node('MaxPool', [v], { kernel_shape: [3, 3], strides: [2, 2] }), Math.floor((n.size.get(v)! - 3) / 2) + 1);
  let y = pool(n.conv(x, 3, 96, 7, 2, 'relu'));
  y = fire(n, y, 96, 16, 64);
  y = fire(n, y, 128, 16, 64);
  y = pool(fire(n, y, 128, 32, 128));
  y = fire(n, y, 256, 32, 128);
  y = fire(n, y, 256, 48, 192);
  y = fire(n, y, 384, 48, 192);
  y = pool(fire(n, y, 384, 64, 256));
  y = fire(n, y, 512, 64, 256);
  const c10 = n.conv(y, 512, 1000, 1, 1, 'relu');
  const logits = n.b.node('Flatten', [n.b.node('GlobalAveragePool', [c10])], { axis: 1 });
  n.b.node('Softmax', [logits], { axis: 1 }, 'probs');
  n.b.output('probs', [1, 1000]);
}

/** MobileNetV3 rows: kernel, expansion, out, squeeze-excite, activation, stride (paper Tables 1–2). */
type V3Row = [number, number, number, boolean, Act, number];
const V3_LARGE: V3Row[] = [
  [3, 16, 16, false, 'relu', 1], [3, 64, 24, false, 'relu', 2], [3, 72, 24, false, 'relu', 1], [5, 72, 40, true, 'relu', 2],
  [5, 120, 40, true, 'relu', 1], [5, 120, 40, true, 'relu', 1], [3, 240, 80, false, 'hswish', 2], [3, 200, 80, false, 'hswish', 1],
  [3, 184, 80, false, 'hswish', 1], [3, 184, 80, false, 'hswish', 1], [3, 480, 112, true, 'hswish', 1], [3, 672, 112, true, 'hswish', 1],
  [5, 672, 160, true, 'hswish', 2], [5, 960, 160, true, 'hswish', 1], [5, 960, 160, true, 'hswish', 1],
];
const V3_SMALL: V3Row[] = [
  [3, 16, 16, true, 'relu', 2], [3, 72, 24, false, 'relu', 2], [3, 88, 24, false, 'relu', 1], [5, 96, 40, true, 'hswish', 2],
  [5, 240, 40, true, 'hswish', 1], [5, 240, 40, true, 'hswish', 1], [5, 120, 48, true, 'hswish', 1], [5, 144, 48, true, 'hswish', 1],
  [5, 288, 96, true, 'hswish', 2], [5, 576, 96, true, 'hswish', 1], [5, 576, 96, true, 'hswish', 1],
];

function mobilenetV3(n: Net, x: string, rows: V3Row[], alpha: number, lastConv: number, lastPoint: number): void {
  const stem = makeDivisible(16 * alpha);
  let y = n.conv(x, 3, stem, 3, 2, 'hswish');
  let c = stem;
  for (const [k, e, out, se, a, s] of rows) {
    const exp = makeDivisible(e * alpha);
    const o = makeDivisible(out * alpha);
    y = n.mbBlock(y, c, exp, o, k, s, a, se ? makeDivisible(exp / 4) : 0);
    c = o;
  }
  const last = makeDivisible(lastConv * alpha);
  y = n.conv(y, c, last, 1, 1, 'hswish');
  const p = n.keep(y, n.b.node('GlobalAveragePool', [y]), 1);
  const logits = n.b.node('Flatten', [n.conv(n.conv(p, last, lastPoint, 1, 1, 'hswish'), lastPoint, 1001, 1, 1, 'none')], { axis: 1 });
  n.b.node('Softmax', [logits], { axis: 1 }, 'probs');
  n.b.output('probs', [1, 1001]);
}

/** Serialized ONNX model of a public architecture: input `input` [1,3,size,size] NCHW float32, output `probs`. */
export function buildPublicNetOnnx(id: PublicNetId, opts: { size?: number; seed?: number } = {}): Uint8Array {
  const size = opts.size ?? 224;
  const n = new Net(id, opts.seed ?? 1);
  const x = n.b.input('input', [1, 3, size, size]);
  n.size.set(x, size);
  switch (id) {
    case 'mobilenet-v1':
      mobilenetV1(n, x);
      break;
    case 'mobilenet-v2':
      invertedResidualNet(n, x, [[1, 16, 1, 1, 3], [6, 24, 2, 2, 3], [6, 32, 3, 2, 3], [6, 64, 4, 2, 3], [6, 96, 3, 1, 3], [6, 160, 3, 2, 3], [6, 320, 1, 1, 3]], 32, 1280);
      break;
    case 'efficientnet-lite0':
      invertedResidualNet(n, x, [[1, 16, 1, 1, 3], [6, 24, 2, 2, 3], [6, 40, 2, 2, 5], [6, 80, 3, 2, 3], [6, 112, 3, 1, 5], [6, 192, 4, 2, 5], [6, 320, 1, 1, 3]], 32, 1280);
      break;
    case 'squeezenet-1.0':
      squeezenet10(n, x);
      break;
    case 'mobilenet-v3-large-0.75':
      mobilenetV3(n, x, V3_LARGE, 0.75, 960, 1280);
      break;
    case 'mobilenet-v3-small-0.75':
      mobilenetV3(n, x, V3_SMALL, 0.75, 576, 1024);
      break;
  }
  return n.b.build();
}
