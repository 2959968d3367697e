/**
 * A matting/bokeh-style encoder–decoder as PyTorch exports it after `model.half()` (opset 17): float16
 * input, weights, activations and outputs, NCHW, and the shape arithmetic `torch.onnx.export` writes
 * for `F.interpolate(x, size=skip.shape[2:], mode='bilinear', align_corners=False)` and
 * `feat.view(feat.size(0), -1)`:
 *
 *   enc1  Conv3×3/1 + BN + Relu                                       → e1 (w,  S)
 *   enc2  Conv3×3/2 + BN + Relu                                       → e2 (2w, S/2)
 *   enc3  Conv3×3/2 + BN + Relu                                       → e3 (4w, S/4)
 *   dec2  Resize(e3, sizes = Concat(Shape(e3)[0:2], Unsqueeze(Gather(Shape(e2), 2)), Unsqueeze(Gather(…, 3))) → Cast)
 *         ‖ e2 (Concat) → Conv3×3 + BN + Relu                         → d2 (2w, S/2)
 *   dec1  Resize(d2, sizes = Concat(Shape(d2)[0:2], Shape(e1)[2:]) → Cast) ‖ e1 → Conv3×3 + BN + Relu → d1 (w, S)
 *   head  Conv1×1 (bias) → Sigmoid                                    → alpha [1,1,S,S]
 *   aux   GlobalAveragePool(e3) → Reshape(Concat(Unsqueeze(Gather(Shape, 0)), [-1])) → Gemm → Sigmoid → score [1,1]
 *
 * Weights are seeded (He-init), rounded to float16 as `.half()` does.
 */
import { floatToHalf, halfToFloat } from '../ir/dtype.js';
import { normalFloat32, seededRandom } from '../core/random.js';
import { OnnxGraphBuilder, attr } from './onnx-model.js';
import { internalError } from '../core/errors.js';

export interface Fp16EncoderDecoderOptions {
  /** Input height = width (multiple of 4). Default 64. */
  size?: number;
  /** Base channel width. Default 8. */
  width?: number;
  seed?: number;
  /**
   * 'float16' (default): the `.half()` export. 'float32': the same float16-rounded weights stored as
   * float32 with float32 I/O — the model as mai imports it, for an onnxruntime reference without
   * fp16 activation rounding.
   */
  precision?: 'float16' | 'float32';
  /** Declare batch, height and width symbolic, as `torch.onnx.export(dynamic_axes=…)` does (then convert with --input-shape). */
  dynamicAxes?: boolean;
}

export const FP16_ED_INPUT = 'image';
export const FP16_ED_OUTPUTS = ['alpha', 'score'] as const;

const INT64_MAX = 9223372036854775807n;
const half = (a: ArrayLike<number>): Uint16Array => Uint16Array.from(a, (v) => floatToHalf(v));

class HalfNet {
  readonly b = new OnnxGraphBuilder({ opset: 17, graphName: 'torch_jit' });
  private seed: number;
  private readonly u: () => number;

  constructor(
    seed: number,
    private readonly dtype: 'float16' | 'float32',
  ) {
    this.seed = seed * 104729;
    this.u = seededRandom(seed);
  }

  /** A weight rounded to float16, stored in the model's precision. */
  init(name: string, shape: number[], values: ArrayLike<number>): string {
    const h = half(values);
    return this.dtype === 'float16' ? this.b.init(name, shape, h, 'float16') : this.b.init(name, shape, Float32Array.from(h, halfToFloat));
  }

  private i64(values: Array<number | bigint>, shape = [values.length]): string {
    return this.b.init(this.b.name('const'), shape, values.map((v) => BigInt(v)), 'int64');
  }

  conv(x: string, cin: number, cout: number, k: number, stride: number, name: string, bias = false): string {
    const n = cout * cin * k * k;
    const ins = [x, this.init(`${name}.weight`, [cout, cin, k, k], normalFloat32(n, this.seed++, Math.sqrt(2 / (cin * k * k))))];
    if (bias) ins.push(this.init(`${name}.bias`, [cout], normalFloat32(cout, this.seed++, 0.1)));
    const p = (k - 1) / 2;
    return this.b.node('Conv', ins, { dilations: [1, 1], group: 1, kernel_shape: [k, k], pads: [p, p, p, p], strides: [stride, stride] }, `/${name}/Conv_output_0`);
  }

  bnRelu(x: string, c: number, name: string): string {
    const u = this.u;
    const vals = (f: () => number) => Array.from({ length: c }, f);
    const ins = [
      x,
      this.init(`${name}.weight`, [c], vals(() => 0.8 + 0.4 * u())),
      this.init(`${name}.bias`, [c], vals(() => 0.2 * (u() - 0.5))),
      this.init(`${name}.running_mean`, [c], vals(() => 0.2 * (u() - 0.5))),
      this.init(`${name}.running_var`, [c], vals(() => 0.7 + 0.6 * u())),
    ];
    const bn = this.b.node('BatchNormalization', ins, { epsilon: attr.float(1e-5), momentum: attr.float(0.9) }, `/${name}/BatchNormalization_output_0`);
    return this.b.node('Relu', [bn], {}, `/${name}/Relu_output_0`);
  }

  block(x: string, cin: number, cout: number, stride: number, name: string): string {
    return this.bnRelu(this.conv(x, cin, cout, 3, stride, `${name}.conv`), cout, `${name}.bn`);
  }

  /** `F.interpolate(x, size=skip.shape[2:], mode='bilinear', align_corners=False)`; `gather`: per-dim Gather form (else Slice form). */
  interpolateTo(x: string, skip: string, gather: boolean): string {
    const b = this.b;
    const nc = b.node('Slice', [b.node('Shape', [x]), this.i64([0]), this.i64([2]), this.i64([0])]);
    const ss = b.node('Shape', [skip]);
    const hw = gather
      ? [2, 3].map((i) => b.node('Unsqueeze', [b.node('Gather', [ss, this.i64([i], [])], { axis: 0 }), this.i64([0])]))
      : [b.node('Slice', [ss, this.i64([2]), this.i64([INT64_MAX]), this.i64([0])])];
    const sizes = b.node('Cast', [b.node('Concat', [nc, ...hw], { axis: 0 })], { to: 7 });
    return b.node('Resize', [x, '', '', sizes], {
      coordinate_transformation_mode: 'pytorch_half_pixel',
      cubic_coeff_a: attr.float(-0.75),
      mode: 'linear',
      nearest_mode: 'floor',
    });
  }

  /** `feat.view(feat.size(0), -1)`. */
  viewBatch(feat: string): string {
    const b = this.b;
    const n = b.node('Unsqueeze', [b.node('Gather', [b.node('Shape', [feat]), this.i64([0], [])], { axis: 0 }), this.i64([0])]);
    return b.node('Reshape', [feat, b.node('Concat', [n, this.i64([-1])], { axis: 0 })]);
  }
}

/** Serialized ONNX: input `image` [1,3,S,S] → `alpha` [1,1,S,S] and `score` [1,1] (all float16 unless precision = 'float32'). */
export function buildFp16EncoderDecoderOnnx(opts: Fp16EncoderDecoderOptions = {}): Uint8Array {
  const size = opts.size ?? 64;
  const w = opts.width ?? 8;
  if (size % 4 !== 0 || size < 4) throw internalError(`fp16 encoder-decoder: size ${size} must be a positive multiple of 4`);
  const dtype = opts.precision ?? 'float16';
  const net = new HalfNet(opts.seed ?? 1, dtype);
  const b = net.b;
  const dyn = opts.dynamicAxes ?? false;
  const x = b.input(FP16_ED_INPUT, dyn ? ['batch', 3, 'height', 'width'] : [1, 3, size, size], dtype);
  const e1 = net.block(x, 3, w, 1, 'enc1');
  const e2 = net.block(e1, w, 2 * w, 2, 'enc2');
  const e3 = net.block(e2, 2 * w, 4 * w, 2, 'enc3');
  const d2 = net.block(b.node('Concat', [net.interpolateTo(e3, e2, true), e2], { axis: 1 }), 6 * w, 2 * w, 1, 'dec2');
  const d1 = net.block(b.node('Concat', [net.interpolateTo(d2, e1, false), e1], { axis: 1 }), 3 * w, w, 1, 'dec1');
  b.node('Sigmoid', [net.conv(d1, w, 1, 1, 1, 'head', true)], {}, FP16_ED_OUTPUTS[0]);
  const feat = net.viewBatch(b.node('GlobalAveragePool', [e3]));
  const fcW = net.init('aux.fc.weight', [1, 4 * w], normalFloat32(4 * w, 99, Math.sqrt(1 / (4 * w))));
  const fcB = net.init('aux.fc.bias', [1], [0.05]);
  b.node('Sigmoid', [b.node('Gemm', [feat, fcW, fcB], { alpha: attr.float(1), beta: attr.float(1), transB: 1 })], {}, FP16_ED_OUTPUTS[1]);
  b.output(FP16_ED_OUTPUTS[0], dyn ? ['batch', 1, 'height', 'width'] : [1, 1, size, size], dtype);
  b.output(FP16_ED_OUTPUTS[1], dyn ? ['batch', 1] : [1, 1], dtype);
  return b.build();
}
