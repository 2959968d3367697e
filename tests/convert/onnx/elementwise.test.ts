/** Activations, Clip variants, binary ops with broadcasting, Concat, BatchNormalization. */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { isMaiError } from '../../../src/core/errors.js';
import { OnnxGraphBuilder, normalFloat32, uniformFloat32, attr } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

describe('activations', () => {
  for (const [op, tfl] of [['Relu', 'RELU'], ['Sigmoid', 'LOGISTIC'], ['Tanh', 'TANH']] as const) {
    it(`${op} → ${tfl} on 4-D (NHWC) and 2-D`, async () => {
      for (const shape of [[1, 3, 5, 6], [4, 7]]) {
        const b = new OnnxGraphBuilder({ opset: 13 });
        b.output(b.node(op, [b.input('x', shape)], {}, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { range: [-4, 4] });
        expect(graph.nodes.map((n) => n.op)).toEqual([tfl]);
      }
    });
  }
});

describe('Clip', () => {
  const cases: Array<[string, number, number | undefined, number | undefined, string[]]> = [
    ['[0,6] opset 11 → RELU6', 11, 0, 6, ['RELU6']],
    ['[-1,1] opset 13 → RELU_N1_TO_1', 13, -1, 1, ['RELU_N1_TO_1']],
    ['[0,∞) opset 13 → RELU', 13, 0, undefined, ['RELU']],
    ['[-0.5,2] → MAXIMUM+MINIMUM', 13, -0.5, 2, ['MAXIMUM', 'MINIMUM']],
    ['min 2 > max 1: every value becomes max (ONNX order)', 13, 2, 1, ['MAXIMUM', 'MINIMUM']],
    ['max only 3 → MINIMUM', 13, undefined, 3, ['MINIMUM']],
    ['min only 0.5 → MAXIMUM', 13, 0.5, undefined, ['MAXIMUM']],
    ['[0,6] opset 6 attributes → RELU6', 6, 0, 6, ['RELU6']],
    ['[-2,2] opset 6 attributes → MAXIMUM+MINIMUM', 6, -2, 2, ['MAXIMUM', 'MINIMUM']],
  ];
  for (const [name, opset, lo, hi, ops] of cases) {
    it(name, async () => {
      const b = new OnnxGraphBuilder({ opset });
      const x = b.input('x', [1, 2, 4, 4]);
      let y: string;
      if (opset < 11) {
        const attrs: Record<string, ReturnType<typeof attr.float>> = {};
        if (lo !== undefined) attrs.min = attr.float(lo);
        if (hi !== undefined) attrs.max = attr.float(hi);
        y = b.node('Clip', [x], attrs, 'y');
      } else {
        const mn = lo !== undefined ? b.init('mn', [], [lo]) : '';
        const mx = hi !== undefined ? b.init('mx', [], [hi]) : '';
        y = b.node('Clip', [x, mn, mx], {}, 'y');
      }
      b.output(y);
      const { graph } = await expectMatchesOrt(b.build(), { range: [-8, 8] });
      expect(graph.nodes.map((n) => n.op)).toEqual(ops);
    });
  }
  it('non-constant min → requires-constant-input', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 2, 4, 4]);
    const m = b.input('m', []);
    b.output(b.node('Clip', [x, m], {}, 'y'));
    try {
      importOnnx(b.build());
      expect.unreachable();
    } catch (e) {
      expect(isMaiError(e) && e.diagnostics[0]!.reason).toBe('requires-constant-input');
    }
  });
});

describe('binary ops with numpy broadcasting (NHWC activations, constants permuted once)', () => {
  const shapes: Array<[string, number[], number[], boolean]> = [
    ['4-D + 4-D same shape', [1, 3, 4, 5], [1, 3, 4, 5], false],
    ['4-D + per-channel const [3,1,1]', [1, 3, 4, 5], [3, 1, 1], true],
    ['4-D + const [1,3,1,1]', [1, 3, 4, 5], [1, 3, 1, 1], true],
    ['4-D + const [5] (broadcast over W)', [1, 3, 4, 5], [5], true],
    ['4-D + const [4,1] (over H)', [1, 3, 4, 5], [4, 1], true],
    ['4-D + scalar const', [1, 3, 4, 5], [], true],
    ['4-D + runtime [1,3,1,1]', [1, 3, 4, 5], [1, 3, 1, 1], false],
    ['4-D + runtime [5]', [1, 3, 4, 5], [5], false],
    ['4-D + runtime [3,4,1]', [1, 3, 4, 5], [3, 4, 1], false],
    ['2-D + 1-D const', [4, 6], [6], true],
    ['3-D + 3-D runtime broadcast', [2, 1, 5], [1, 3, 5], false],
  ];
  for (const op of ['Add', 'Sub', 'Mul', 'Div']) {
    for (const [name, a, bShape, isConst] of shapes) {
      it(`${op}: ${name}`, async () => {
        const b = new OnnxGraphBuilder({ opset: 13 });
        const x = b.input('a', a);
        const n = bShape.reduce((p, d) => p * d, 1);
        const other = isConst ? b.init('c', bShape, uniformFloat32(n, 9, 0.5, 2)) : b.input('b', bShape);
        b.output(b.node(op, [x, other], {}, 'y'));
        // Div: keep the divisor away from 0
        const { graph } = await expectMatchesOrt(b.build(), { range: op === 'Div' && !isConst ? [0.5, 2] : [-1, 1] });
        if (a.length === 4 && bShape.length === 4 && isConst) expect(opHistogram(graph).TRANSPOSE ?? 0).toBe(0);
      });
    }
  }
  it('constant first operand: 2 - x', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 4, 5]);
    b.output(b.node('Sub', [b.init('two', [1], [2]), x], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph).TRANSPOSE ?? 0).toBe(0);
  });
});

describe('Concat', () => {
  for (const axis of [1, 2, 3, -1, 0]) {
    it(`4-D axis ${axis} (remapped to NHWC)`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const x = b.input('x', [1, 2, 3, 4]);
      const y = b.input('z', [1, 2, 3, 4]);
      const c = b.init('c', [1, 2, 3, 4], normalFloat32(24, 5));
      b.output(b.node('Concat', [x, y, c], { axis }, 'y'));
      const { graph } = await expectMatchesOrt(b.build());
      expect(opHistogram(graph)).toEqual({ CONCATENATION: 1 });
    });
  }
  it('2-D axis 1', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Concat', [b.input('x', [2, 3]), b.input('z', [2, 5])], { axis: 1 }, 'y'));
    await expectMatchesOrt(b.build());
  });
});

describe('BatchNormalization → MUL + ADD with per-channel constants', () => {
  it('after a conv (NHWC, constants [C])', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 6, 6]);
    const c = b.node('Conv', [x, b.init('w', [4, 3, 3, 3], normalFloat32(108, 1))], { pads: [1, 1, 1, 1] });
    const bn = b.node('BatchNormalization', [c, b.init('g', [4], uniformFloat32(4, 2, 0.5, 1.5)), b.init('be', [4], normalFloat32(4, 3)), b.init('mu', [4], normalFloat32(4, 4)), b.init('var', [4], uniformFloat32(4, 5, 0.5, 2))], { epsilon: attr.float(1e-3) }, 'y');
    b.output(bn);
    const { graph } = await expectMatchesOrt(b.build());
    expect(graph.nodes.map((n) => n.op)).toEqual(['CONV_2D', 'MUL', 'ADD']);
    for (const n of graph.nodes.slice(1)) expect(graph.tensor(n.inputs[1]!).shape).toEqual([4]);
  });
  it('on 2-D input', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [5, 4]);
    b.output(b.node('BatchNormalization', [x, b.init('g', [4], uniformFloat32(4, 2, 0.5, 1.5)), b.init('be', [4], normalFloat32(4, 3)), b.init('mu', [4], normalFloat32(4, 4)), b.init('var', [4], uniformFloat32(4, 5, 0.5, 2))], {}, 'y'));
    await expectMatchesOrt(b.build());
  });
});

describe('legacy opsets (< 7); onnxruntime runs the opset-7 equivalent as the reference', () => {
  it('Add opset 6 broadcast=1 axis=1 with a per-channel constant', async () => {
    const build = (opset: number) => {
      const b = new OnnxGraphBuilder({ opset });
      const x = b.input('x', [1, 3, 4, 5]);
      const c = opset < 7 ? b.init('c', [3], [1, -2, 3]) : b.init('c', [3, 1, 1], [1, -2, 3]);
      b.output(b.node('Add', [x, c], opset < 7 ? { broadcast: 1, axis: 1 } : {}, 'y'));
      return b.build();
    };
    const { graph } = await expectMatchesOrt(build(6), { ortModel: build(7) });
    expect(graph.nodes.map((n) => n.op)).toEqual(['ADD']);
  });
  it('BatchNormalization opset 6 (is_test, spatial)', async () => {
    const build = (opset: number) => {
      const b = new OnnxGraphBuilder({ opset });
      const x = b.input('x', [1, 3, 4, 4]);
      const p = (n: string, lo: number) => b.init(n, [3], uniformFloat32(3, n.length, lo, lo + 1));
      b.output(b.node('BatchNormalization', [x, p('g', 0.5), p('bb', -1), p('mmm', -1), p('vvvv', 0.5)], opset < 7 ? { is_test: 1, spatial: 1 } : {}, 'y'));
      return b.build();
    };
    await expectMatchesOrt(build(6), { ortModel: build(9) });
  });
});
