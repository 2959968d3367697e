/**
 * Exp, Log, Sqrt, Abs, Neg, Reciprocal, Pow (constant exponents mapped to MUL / SQRT / RSQRT / DIV,
 * runtime and mixed-type exponents), Min / Max (variadic, broadcasting against NHWC), each against
 * onnxruntime with NHWC and NCHW I/O; int32 cells against onnxruntime's integer results.
 */
import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { onnxRuntime } from '../../../src/runtime/onnxruntime.js';
import type { HostTensor } from '../../../src/runtime/types.js';
import { writeTflite } from '../../../src/tflite/writer.js';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, LAYOUTS, layoutName } from './harness.js';
import { expectSameIntegers } from './int-oracle.js';

const computeOps = (ops: string[]) => ops.filter((o) => o !== 'TRANSPOSE' && o !== 'RESHAPE');

describe('unary math', () => {
  const cases: Array<[string, string, [number, number]]> = [
    ['Exp', 'EXP', [-4, 3]],
    ['Log', 'LOG', [0.05, 8]],
    ['Sqrt', 'SQRT', [0, 9]],
    ['Abs', 'ABS', [-5, 5]],
    ['Neg', 'NEG', [-5, 5]],
    ['Reciprocal', 'DIV', [0.2, 4]],
  ];
  for (const [op, tfl, range] of cases) {
    for (const keep of LAYOUTS) {
      it(`${op} → ${tfl} (${layoutName(keep)})`, async () => {
        const b = new OnnxGraphBuilder({ opset: 13 });
        b.output(b.node(op, [b.input('x', [1, 3, 4, 5])], {}, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { range, keepIoLayout: keep });
        expect(computeOps(graph.nodes.map((n) => n.op))).toEqual([tfl]);
      });
    }
  }
  it('Reciprocal of negative values and a 1-D tensor', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Reciprocal', [b.input('x', [7])], {}, 'y'));
    await expectMatchesOrt(b.build(), { range: [-4, -0.25] });
  });
});

describe('Pow', () => {
  const constant: Array<[number, string[]]> = [
    [2, ['MUL']],
    [0.5, ['SQRT']],
    [-0.5, ['RSQRT']],
    [-1, ['DIV']],
    [1, []],
    [3, ['POW']],
    [1.5, ['POW']],
  ];
  for (const [e, ops] of constant) {
    for (const keep of LAYOUTS) {
      it(`x^${e} → ${ops.join(', ') || 'x itself'} (${layoutName(keep)})`, async () => {
        const b = new OnnxGraphBuilder({ opset: 15 });
        b.output(b.node('Pow', [b.input('x', [1, 3, 4, 5]), b.init('e', [], [e])], {}, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { range: [0.1, 3], keepIoLayout: keep });
        expect(computeOps(graph.nodes.map((n) => n.op))).toEqual(ops);
      });
    }
  }
  it('exponent 2 given as int64 and as a [1] tensor → MUL', async () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    b.output(b.node('Pow', [b.input('x', [2, 5]), b.init('e', [1], [2], 'int64')], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build(), { range: [-3, 3] });
    expect(graph.nodes.map((n) => n.op)).toEqual(['MUL']);
  });
  it('per-channel constant exponent [C,1,1] → POW with the exponent permuted', async () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    b.output(b.node('Pow', [b.input('x', [1, 3, 4, 5]), b.init('e', [3, 1, 1], [0.5, 2, 3])], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build(), { range: [0.1, 2] });
    expect(graph.nodes.map((n) => n.op)).toEqual(['POW']);
  });
  it('constant exponent that widens the output ([1] ^ [4]) → POW', async () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    b.output(b.node('Pow', [b.input('x', [3, 1]), b.init('e', [4], [2, 2, 2, 2])], {}, 'y'));
    await expectMatchesOrt(b.build(), { range: [0.1, 2] });
  });
  for (const keep of LAYOUTS) {
    it(`runtime exponent → POW (${layoutName(keep)})`, async () => {
      const b = new OnnxGraphBuilder({ opset: 15 });
      b.output(b.node('Pow', [b.input('x', [1, 2, 3, 4]), b.input('e', [1, 2, 3, 4])], {}, 'y'));
      const { graph } = await expectMatchesOrt(b.build(), { range: [0.2, 2], keepIoLayout: keep });
      expect(computeOps(graph.nodes.map((n) => n.op))).toEqual(['POW']);
    });
  }
  it('float base, runtime int32 exponent → CAST + POW, same as onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    b.output(b.node('Pow', [b.input('x', [6]), b.input('e', [6], 'int32')], {}, 'y'));
    const bytes = b.build();
    const feeds: HostTensor[] = [
      { name: 'x', dtype: 'float32', shape: [6], data: Float32Array.of(1.5, -2, 0.5, 3, 2, -1.25) },
      { name: 'e', dtype: 'int32', shape: [6], data: Int32Array.of(2, 3, -1, 0, 4, 2) },
    ];
    const ort = await onnxRuntime.load(bytes);
    const want = await ort.run(feeds);
    await ort.dispose();
    const g = importOnnx(bytes);
    expect(g.nodes.map((n) => n.op)).toEqual(['CAST', 'POW']);
    const lrt = await liteRtRuntime.load(writeTflite(g));
    const got = await lrt.run(feeds);
    await lrt.dispose();
    const w = want[0]!.data as Float32Array;
    (got[0]!.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(w[i]!, 5));
  });
  it('int32 Pow with a constant exponent agrees with onnxruntime', async () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    b.output(b.node('Pow', [b.input('x', [6], 'int32'), b.init('e', [], [3], 'int32')], {}, 'y'), [6], 'int32');
    await expectSameIntegers(b.build(), [{ name: 'x', dtype: 'int32', shape: [6], data: Int32Array.of(-3, -1, 0, 2, 5, 7) }]);
  });
});

describe('Min / Max (variadic, broadcasting)', () => {
  for (const [op, tfl] of [['Min', 'MINIMUM'], ['Max', 'MAXIMUM']] as const) {
    for (const keep of LAYOUTS) {
      it(`${op} of a 4-D input, a per-channel constant [C,1,1] and a runtime [W] → ${tfl} ×2 (${layoutName(keep)})`, async () => {
        const b = new OnnxGraphBuilder({ opset: 13 });
        const x = b.input('x', [1, 3, 4, 5]);
        const c = b.init('c', [3, 1, 1], normalFloat32(3, 5, 0.5));
        const w = b.input('w', [5]);
        b.output(b.node(op, [x, c, w], {}, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout: keep });
        expect(computeOps(graph.nodes.map((n) => n.op))).toEqual([tfl, tfl]);
      });
    }
    it(`${op} of one input is the input`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.output(b.node(op, [b.input('x', [2, 3])], {}, 'y'));
      await expectMatchesOrt(b.build());
    });
    it(`${op} on int32 agrees with onnxruntime`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.output(b.node(op, [b.input('a', [4], 'int32'), b.init('k', [4], [0, -3, 9, 2], 'int32')], {}, 'y'), [4], 'int32');
      await expectSameIntegers(b.build(), [{ name: 'a', dtype: 'int32', shape: [4], data: Int32Array.of(5, -7, 3, 2) }]);
    });
  }
});
