import { describe, expect, it } from 'vitest';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

type Opts = { opset: number; square: 'Pow' | 'Mul'; bias: boolean; axes: number[]; shape: number[]; extraUse?: boolean };

/** The ReduceMean → Sub → Pow → ReduceMean → Add ε → Sqrt → Div → Mul γ → Add β chain PyTorch exports before opset 17. */
function model(o: Opts): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: o.opset });
  const x = b.input('x', o.shape);
  const norm = o.shape.slice(o.shape.length - o.axes.length);
  const n = norm.reduce((p, d) => p * d, 1);
  const reduce = (v: string) =>
    o.opset >= 18 ? b.node('ReduceMean', [v, b.init(b.name('axes'), [o.axes.length], BigInt64Array.from(o.axes.map(BigInt)), 'int64')], { keepdims: 1 }) : b.node('ReduceMean', [v], { axes: o.axes, keepdims: 1 });
  const mean = reduce(x);
  const d = b.node('Sub', [x, mean]);
  const sq = o.square === 'Pow' ? b.node('Pow', [d, b.init('two', [], Float32Array.of(2))]) : b.node('Mul', [d, d]);
  const v = reduce(sq);
  const ve = b.node('Add', [v, b.init('eps', [], Float32Array.of(1e-5))]);
  const y = b.node('Div', [d, b.node('Sqrt', [ve])]);
  const scaled = b.node('Mul', [y, b.init('gamma', norm, normalFloat32(n, 1))], {}, o.bias ? undefined : 'y');
  b.output(o.bias ? b.node('Add', [scaled, b.init('beta', norm, normalFloat32(n, 2))], {}, 'y') : scaled);
  if (o.extraUse) b.output(d);
  return b.build();
}

const CASES: Array<[string, Opts]> = [
  ['opset 13 Pow, [N, L, C] over C', { opset: 13, square: 'Pow', bias: true, axes: [-1], shape: [2, 7, 16] }],
  ['opset 13 Mul(d, d), no bias', { opset: 13, square: 'Mul', bias: false, axes: [-1], shape: [2, 7, 16] }],
  ['opset 18 axes input, 4-D over W', { opset: 18, square: 'Pow', bias: true, axes: [-1], shape: [1, 3, 5, 8] }],
  ['opset 11 over the last two axes of 4-D', { opset: 11, square: 'Pow', bias: true, axes: [-2, -1], shape: [1, 3, 5, 8] }],
];

describe('ONNX pattern: PyTorch LayerNorm chain (opset < 17) → LayerNormalization → MEAN/SUB/MUL/ADD/RSQRT', () => {
  for (const [name, o] of CASES) {
    for (const keepIoLayout of [false, true]) {
      it(`${name}${keepIoLayout ? ' (NCHW I/O)' : ''}`, async () => {
        const { graph } = await expectMatchesOrt(model(o), { keepIoLayout, range: [-2, 3] });
        const h = opHistogram(graph);
        expect(h.RSQRT).toBe(1);
        expect(h.SQRT ?? 0).toBe(0);
        expect(h.DIV ?? 0).toBe(0);
        expect(h.POW ?? 0).toBe(0);
        if (!keepIoLayout || o.shape.length !== 4) expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
      });
    }
  }
  it('is not fused when an intermediate has another consumer (here: a graph output)', async () => {
    const { graph } = await expectMatchesOrt(model({ opset: 13, square: 'Pow', bias: true, axes: [-1], shape: [2, 7, 16], extraUse: true }), { range: [-2, 3] });
    expect(opHistogram(graph).RSQRT ?? 0).toBe(0);
  });
});
