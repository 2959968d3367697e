/**
 * The layout guarantee on PyTorch-style CNN graphs: after import + the default pass pipeline a CNN
 * with NHWC I/O has ZERO TRANSPOSE ops, except the ones the ONNX semantics demand (stated per case),
 * and computes what onnxruntime computes. With keepIoLayout each 4-D graph input / output adds
 * exactly one (the NCHW ↔ NHWC conversion at the edge).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from '../../../src/convert/passes/registry.js';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

const C = 4;

function conv(b: OnnxGraphBuilder, x: string, cin = C, cout = C, k = 3): string {
  const w = b.init(b.name('w'), [cout, cin, k, k], normalFloat32(cout * cin * k * k, 3, Math.sqrt(2 / (cin * k * k))));
  const bias = b.init(b.name('b'), [cout], normalFloat32(cout, 5, 0.1));
  return b.node('Conv', [x, w, bias], { pads: [k >> 1, k >> 1, k >> 1, k >> 1] });
}

function ints(b: OnnxGraphBuilder, v: number[]): string {
  return b.init(b.name('i'), [v.length], v, 'int64');
}

interface Case {
  name: string;
  /** Builds the body between the input conv and the output; returns the output value (named 'y'). */
  build(b: OnnxGraphBuilder, x: string): void;
  /** TRANSPOSEs the semantics demand with NHWC I/O (0 unless stated), and why. */
  required?: [number, string];
  /** 4-D graph inputs and outputs whose NCHW ↔ NHWC conversion is a real TRANSPOSE (keepIoLayout). */
  io4d: number;
}

const cases: Case[] = [
  {
    name: 'explicit Transpose pair around Add(per-channel constant) + Relu (permute → op → permute back)',
    build(b, x) {
      const t = b.node('Transpose', [conv(b, x)], { perm: [0, 2, 3, 1] });
      const a = b.node('Add', [t, b.init('bias_c', [C], normalFloat32(C, 9))]);
      const back = b.node('Transpose', [b.node('Relu', [a])], { perm: [0, 3, 1, 2] });
      b.output(conv(b, back), [1, C, 6, 5]);
    },
    io4d: 2,
  },
  {
    name: 'Reshape to [N,C,H·W] → Mul by a [C,1] constant → Reshape back → Conv (NCHW island)',
    build(b, x) {
      const r = b.node('Reshape', [conv(b, x), ints(b, [1, C, 30])]);
      const m = b.node('Mul', [r, b.init('scale', [C, 1], normalFloat32(C, 4))]);
      const back = b.node('Reshape', [b.node('Sigmoid', [m]), ints(b, [1, C, 6, 5])]);
      b.output(conv(b, back), [1, C, 6, 5]);
    },
    io4d: 2,
  },
  {
    name: 'token mixer: Reshape [N,C,H·W] → Transpose [0,2,1] → Add [C] → Relu → Transpose back → Reshape → Conv',
    build(b, x) {
      const tok = b.node('Transpose', [b.node('Reshape', [conv(b, x), ints(b, [1, C, 30])])], { perm: [0, 2, 1] });
      const a = b.node('Relu', [b.node('Add', [tok, b.init('pos', [C], normalFloat32(C, 12))])]);
      const back = b.node('Reshape', [b.node('Transpose', [a], { perm: [0, 2, 1] }), ints(b, [1, C, 6, 5])]);
      b.output(conv(b, back), [1, C, 6, 5]);
    },
    io4d: 2,
  },
  {
    name: 'Squeeze batch → Relu on [C,H,W] → Unsqueeze batch → Conv',
    build(b, x) {
      const sq = b.node('Squeeze', [conv(b, x), ints(b, [0])]);
      const u = b.node('Unsqueeze', [b.node('Relu', [sq]), ints(b, [0])]);
      b.output(conv(b, u), [1, C, 6, 5]);
    },
    io4d: 2,
  },
  {
    name: 'squeeze-excite: GlobalAveragePool → Flatten → Gemm → Relu → Gemm → Sigmoid → Reshape [N,C,1,1] → Mul',
    build(b, x) {
      const f = conv(b, x);
      const g = b.node('Flatten', [b.node('GlobalAveragePool', [f])], { axis: 1 });
      const h = b.node('Relu', [b.node('Gemm', [g, b.init('w1', [2, C], normalFloat32(2 * C, 6)), b.init('b1', [2], normalFloat32(2, 7))], { transB: 1 })]);
      const s = b.node('Sigmoid', [b.node('Gemm', [h, b.init('w2', [C, 2], normalFloat32(2 * C, 8)), b.init('b2', [C], normalFloat32(C, 9))], { transB: 1 })]);
      b.output(b.node('Mul', [f, b.node('Reshape', [s, ints(b, [1, C, 1, 1])])], {}, 'y'), [1, C, 6, 5]);
    },
    io4d: 2,
  },
  {
    name: 'Squeeze / Unsqueeze around a channel op: GlobalAveragePool → Squeeze → Mul → Unsqueeze → Add',
    build(b, x) {
      const f = conv(b, x);
      const sq = b.node('Squeeze', [b.node('GlobalAveragePool', [f]), ints(b, [2, 3])]);
      const m = b.node('Mul', [sq, b.init('k', [C], normalFloat32(C, 2))]);
      b.output(b.node('Add', [f, b.node('Unsqueeze', [m, ints(b, [2, 3])])], {}, 'y'), [1, C, 6, 5]);
    },
    io4d: 2,
  },
  {
    name: 'Split + Concat channel shuffle between convs',
    build(b, x) {
      const [p, q] = b.nodeMulti('Split', [conv(b, x)], { axis: 1 }, 2);
      b.output(conv(b, b.node('Concat', [q!, p!], { axis: 1 })), [1, C, 6, 5]);
    },
    io4d: 2,
  },
  {
    name: 'Slice of channels and of H, then Concat with a Tile',
    build(b, x) {
      const f = conv(b, x);
      const s = b.node('Slice', [f, ints(b, [0, 1]), ints(b, [2, 6]), ints(b, [1, 2])]);
      const t = b.node('Tile', [b.node('Slice', [f, ints(b, [2, 1]), ints(b, [3, 6]), ints(b, [1, 2])]), ints(b, [1, 2, 1, 1])]);
      b.output(b.node('Concat', [s, t], { axis: 1 }, 'y'), [1, 4, 5, 5]);
    },
    io4d: 2,
  },
  {
    name: 'matting-style block: reflect Pad → Conv → channel-mean attention (ReduceMean C, Sigmoid, Mul) → InstanceNorm → Resize ×2 → Concat skip → LeakyRelu',
    build(b, x) {
      const f = conv(b, x);
      const p = b.node('Pad', [f, ints(b, [0, 0, 1, 1, 0, 0, 1, 1])], { mode: 'reflect' });
      const c = b.node('Conv', [p, b.init('wp', [C, C, 3, 3], normalFloat32(C * C * 9, 13, 0.2))]);
      const att = b.node('Sigmoid', [b.node('ReduceMean', [c], { axes: [1], keepdims: 1 })]);
      const m = b.node('Mul', [c, att]);
      const n = b.node('InstanceNormalization', [m, b.init('sc', [C], normalFloat32(C, 14, 0.5, 1)), b.init('sh', [C], normalFloat32(C, 15, 0.1))]);
      const down = b.node('MaxPool', [n], { kernel_shape: [2, 2], strides: [2, 2] });
      const up = b.node('Resize', [down, '', b.init('scales', [4], [1, 1, 2, 2])], { mode: 'nearest' });
      const cat = b.node('Concat', [up, b.node('Slice', [f, ints(b, [0]), ints(b, [4]), ints(b, [3])])], { axis: 1 });
      b.output(b.node('LeakyRelu', [cat], { alpha: 0.1 }, 'y'), [1, 2 * C, 6, 4]);
    },
    io4d: 2,
  },
  {
    name: 'ShuffleNet channel shuffle: Reshape [N,g,C/g,H,W] → Transpose(0,2,1,3,4) → Reshape → Conv',
    build(b, x) {
      const r5 = b.node('Reshape', [conv(b, x), ints(b, [1, 2, C / 2, 6, 5])]);
      const sh = b.node('Reshape', [b.node('Transpose', [r5], { perm: [0, 2, 1, 3, 4] }), ints(b, [1, C, 6, 5])]);
      b.output(conv(b, sh), [1, C, 6, 5]);
    },
    required: [1, 'the channel permutation itself, done at rank 3 ([H·W, g, C/g] → [H·W, C/g, g])'],
    io4d: 2,
  },
  {
    name: 'global pool → flatten → fc classifier',
    build(b, x) {
      const g = b.node('Flatten', [b.node('GlobalAveragePool', [conv(b, x)])]);
      b.output(b.node('Gemm', [g, b.init('fw', [3, C], normalFloat32(3 * C, 2)), b.init('fb', [3], normalFloat32(3, 3))], { transB: 1 }, 'y'), [1, 3]);
    },
    io4d: 1,
  },
  {
    name: 'Flatten of a [N,C,H,W] feature map → Gemm',
    build(b, x) {
      const g = b.node('Flatten', [conv(b, x)]);
      b.output(b.node('Gemm', [g, b.init('fw', [3, C * 30], normalFloat32(3 * C * 30, 2)), b.init('fb', [3], normalFloat32(3, 3))], { transB: 1 }, 'y'), [1, 3]);
    },
    required: [1, 'ONNX flattens C before H, W: the NHWC map is put in NCHW order once'],
    io4d: 1,
  },
  {
    name: 'spatial softmax: Reshape [N,C,H·W] → Softmax(-1) → Reshape back → Conv',
    build(b, x) {
      const r = b.node('Reshape', [conv(b, x), ints(b, [1, C, 30])]);
      const back = b.node('Reshape', [b.node('Softmax', [r], { axis: -1 }), ints(b, [1, C, 6, 5])]);
      b.output(conv(b, back), [1, C, 6, 5]);
    },
    required: [2, 'SOFTMAX works on the last axis only: H·W is moved last for it and back'],
    io4d: 2,
  },
];

describe('zero TRANSPOSE in CNNs (import + default pipeline, vs onnxruntime)', () => {
  for (const c of cases) {
    for (const keepIoLayout of [false, true]) {
      it(`${c.name} (keepIoLayout ${keepIoLayout})`, async () => {
        const b = new OnnxGraphBuilder({ opset: 13 });
        c.build(b, b.input('x', [1, C, 6, 5]));
        const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout, passes: DEFAULT_PIPELINE });
        const required = c.required?.[0] ?? 0;
        expect(opHistogram(graph).TRANSPOSE ?? 0).toBe(required + (keepIoLayout ? c.io4d : 0));
        // the GPU delegate takes rank ≤ 4 only: no rank-5 TRANSPOSE survives
        for (const n of graph.nodes.filter((n) => n.op === 'TRANSPOSE')) expect(graph.tensor(n.inputs[0]!).shape.length).toBeLessThanOrEqual(4);
      });
    }
  }
});
