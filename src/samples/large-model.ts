/**
 * A model with at least `weightsMB` MiB of float32 weights, for the conversion
 * benchmark: a stem 1×1 conv then a stack of wide 3×3 convs (C→C, with bias and
 * Relu) on a small spatial size, NCHW opset 13 as PyTorch exports it.
 */
import { OnnxGraphBuilder } from './onnx-model.js';
import { normalFloat32 } from '../core/random.js';

export interface LargeModelOptions {
  /** Minimum float32 weight payload in MiB. */
  weightsMB: number;
  /** Channels of the wide convs. Default 256 (2.25 MiB per 3×3 conv). */
  channels?: number;
  /** Spatial size H = W. Default 8. */
  spatial?: number;
  seed?: number;
}

export function buildLargeOnnx(opts: LargeModelOptions): Uint8Array {
  const c = opts.channels ?? 256;
  const s = opts.spatial ?? 8;
  const seed = opts.seed ?? 1;
  const perConv = (c * c * 9 + c) * 4;
  const stemBytes = (c * 3 + c) * 4;
  const layers = Math.max(1, Math.ceil((opts.weightsMB * 2 ** 20 - stemBytes) / perConv));
  const b = new OnnxGraphBuilder({ opset: 13, graphName: 'large_conv_stack' });
  let x = b.input('input', [1, 3, s, s]);
  const conv = (inp: string, cin: number, k: number, i: number) => {
    const w = b.init(`layer${i}.weight`, [c, cin, k, k], normalFloat32(c * cin * k * k, seed * 1000 + 2 * i, Math.sqrt(2 / (cin * k * k))));
    const bias = b.init(`layer${i}.bias`, [c], normalFloat32(c, seed * 1000 + 2 * i + 1, 0.01));
    const p = (k - 1) / 2;
    return b.node('Relu', [b.node('Conv', [inp, w, bias], { kernel_shape: [k, k], pads: [p, p, p, p], strides: [1, 1] })]);
  };
  x = conv(x, 3, 1, 0);
  for (let i = 1; i <= layers; i++) x = conv(x, c, 3, i);
  const out = b.node('GlobalAveragePool', [x], {}, 'output');
  b.output(out, [1, c, 1, 1]);
  return b.build();
}
