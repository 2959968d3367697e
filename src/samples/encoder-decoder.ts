/**
 * A matting-style encoder–decoder CNN written the way PyTorch's exporter
 * writes one (NCHW, opset 13, BatchNormalization kept as its own node, Clip
 * with min/max inputs, Resize with `pytorch_half_pixel` + scales):
 *
 *   stem     Conv3×3/2 + BN + Relu                                   → e1  (w,  S/2)
 *   block 1  dw3×3/2 + BN + Clip(0,6) + pw1×1 + BN                    → e2  (2w, S/4)
 *   block 2  dw3×3/1 + BN + Clip(0,6) + pw1×1 + BN, + e2 (residual)   → e2b (2w, S/4)
 *   block 3  dw3×3/2 + BN + Clip(0,6) + pw1×1 + BN                    → e3  (4w, S/8)
 *   block 4  dw3×3/2 + BN + Clip(0,6) + pw1×1 + BN + Relu             → e4  (4w, S/16)
 *   up 1     Resize×2(e4) ‖ e3 (Concat) → Conv1×1 + BN + Relu        → d3  (2w, S/8)
 *   up 2     Resize×2(d3) + e2b (Add)   → Conv3×3 + BN + Relu        → d2  (w,  S/4)
 *   up 3     Resize×2(d2) ‖ e1 (Concat) → Conv3×3 + BN + Relu        → d1  (w,  S/2)
 *   head     Resize×2(d1) → Conv1×1 (bias) → Sigmoid                 → alpha [1,1,S,S]
 *
 * Weights are seeded, He-initialised (std = √(2/fan_in)·weightScale) with BN
 * statistics near identity, so activations stay O(1) through the network.
 */
import { OnnxGraphBuilder, attr } from './onnx-model.js';
import { normalFloat32, seededRandom } from '../core/random.js';
import { internalError } from '../core/errors.js';

export interface EncoderDecoderOptions {
  /** Input height = width (multiple of 16). Default 256. */
  size?: number;
  /** Base channel width. Default 16. */
  width?: number;
  seed?: number;
  /** Multiplies the He-init standard deviation. Default 1. */
  weightScale?: number;
  /** ONNX opset (≥ 13). Default 13. */
  opset?: number;
}

export const ENCODER_DECODER_INPUT = 'input';
export const ENCODER_DECODER_OUTPUT = 'alpha';

class Net {
  readonly b: OnnxGraphBuilder;
  private seed: number;
  private uniform: () => number;

  constructor(opset: number, seed: number, private readonly weightScale: number) {
    this.b = new OnnxGraphBuilder({ opset, graphName: 'matting_encoder_decoder' });
    this.seed = seed * 7919;
    this.uniform = seededRandom(seed);
  }

  private nextSeed(): number {
    return this.seed++;
  }

  conv(x: string, cin: number, cout: number, k: number, stride: number, opts: { group?: number; bias?: boolean; name: string }): string {
    const group = opts.group ?? 1;
    const fanIn = (cin / group) * k * k;
    const w = this.b.init(`${opts.name}.weight`, [cout, cin / group, k, k], normalFloat32(cout * (cin / group) * k * k, this.nextSeed(), Math.sqrt(2 / fanIn) * this.weightScale));
    const inputs = [x, w];
    if (opts.bias) inputs.push(this.b.init(`${opts.name}.bias`, [cout], normalFloat32(cout, this.nextSeed(), 0.1)));
    const p = (k - 1) / 2;
    return this.b.node('Conv', inputs, { dilations: [1, 1], group, kernel_shape: [k, k], pads: [p, p, p, p], strides: [stride, stride] }, `${opts.name}.out`);
  }

  bn(x: string, c: number, name: string): string {
    const u = this.uniform;
    const scale = Float32Array.from({ length: c }, () => 0.8 + 0.4 * u());
    const bias = Float32Array.from({ length: c }, () => 0.2 * (u() - 0.5));
    const mean = Float32Array.from({ length: c }, () => 0.2 * (u() - 0.5));
    const variance = Float32Array.from({ length: c }, () => 0.7 + 0.6 * u());
    const ins = [x, this.b.init(`${name}.weight`, [c], scale), this.b.init(`${name}.bias`, [c], bias), this.b.init(`${name}.running_mean`, [c], mean), this.b.init(`${name}.running_var`, [c], variance)];
    return this.b.node('BatchNormalization', ins, { epsilon: attr.float(1e-5), momentum: attr.float(0.9) }, `${name}.out`);
  }

  relu(x: string): string {
    return this.b.node('Relu', [x]);
  }

  relu6(x: string): string {
    return this.b.node('Clip', [x, this.b.init(this.b.name('clip_min'), [], [0]), this.b.init(this.b.name('clip_max'), [], [6])]);
  }

  up2(x: string): string {
    const scales = this.b.init(this.b.name('resize_scales'), [4], [1, 1, 2, 2]);
    return this.b.node('Resize', [x, '', scales], { coordinate_transformation_mode: 'pytorch_half_pixel', cubic_coeff_a: attr.float(-0.75), mode: 'linear', nearest_mode: 'floor' });
  }

  /** MobileNet depthwise-separable block: dw + BN + ReLU6 + pw + BN. */
  dwBlock(x: string, cin: number, cout: number, stride: number, name: string): string {
    let y = this.relu6(this.bn(this.conv(x, cin, cin, 3, stride, { group: cin, name: `${name}.dw` }), cin, `${name}.dw_bn`));
    y = this.bn(this.conv(y, cin, cout, 1, 1, { name: `${name}.pw` }), cout, `${name}.pw_bn`);
    return y;
  }
}

/** Serialized ONNX model: input `input` [1,3,S,S] (NCHW float32), output `alpha` [1,1,S,S] in (0,1). */
export function buildEncoderDecoderOnnx(opts: EncoderDecoderOptions = {}): Uint8Array {
  const size = opts.size ?? 256;
  const w = opts.width ?? 16;
  if (size % 16 !== 0 || size < 16) throw internalError(`encoder-decoder: size ${size} must be a positive multiple of 16`);
  const net = new Net(opts.opset ?? 13, opts.seed ?? 1, opts.weightScale ?? 1);
  const b = net.b;
  const x = b.input(ENCODER_DECODER_INPUT, [1, 3, size, size]);

  const e1 = net.relu(net.bn(net.conv(x, 3, w, 3, 2, { name: 'stem.conv' }), w, 'stem.bn'));
  const e2 = net.dwBlock(e1, w, 2 * w, 2, 'enc1');
  const e2b = b.node('Add', [net.dwBlock(e2, 2 * w, 2 * w, 1, 'enc2'), e2]);
  const e3 = net.dwBlock(e2b, 2 * w, 4 * w, 2, 'enc3');
  const e4 = net.relu(net.dwBlock(e3, 4 * w, 4 * w, 2, 'enc4'));

  const cat3 = b.node('Concat', [net.up2(e4), e3], { axis: 1 });
  const d3 = net.relu(net.bn(net.conv(cat3, 8 * w, 2 * w, 1, 1, { name: 'dec3.conv' }), 2 * w, 'dec3.bn'));
  const sum2 = b.node('Add', [net.up2(d3), e2b]);
  const d2 = net.relu(net.bn(net.conv(sum2, 2 * w, w, 3, 1, { name: 'dec2.conv' }), w, 'dec2.bn'));
  const cat1 = b.node('Concat', [net.up2(d2), e1], { axis: 1 });
  const d1 = net.relu(net.bn(net.conv(cat1, 2 * w, w, 3, 1, { name: 'dec1.conv' }), w, 'dec1.bn'));
  const logits = net.conv(net.up2(d1), w, 1, 1, 1, { bias: true, name: 'head.conv' });
  b.node('Sigmoid', [logits], {}, ENCODER_DECODER_OUTPUT);
  b.output(ENCODER_DECODER_OUTPUT, [1, 1, size, size]);
  return b.build();
}
