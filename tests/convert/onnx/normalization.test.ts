import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

/** Decomposed into GPU-delegate ops only: MEAN, SUB, MUL, ADD, RSQRT (+ RESHAPE for LayerNorm over every axis); no TRANSPOSE on NHWC tensors. */
const GPU_OPS = new Set(['MEAN', 'SUB', 'MUL', 'ADD', 'RSQRT', 'RESHAPE']);

describe('ONNX InstanceNormalization / LayerNormalization vs onnxruntime', () => {
  for (const keepIoLayout of [false, true]) {
    const io = keepIoLayout ? ' (NCHW I/O)' : '';
    for (const [shape, eps] of [[[2, 3, 5, 6], 1e-5], [[1, 4, 7, 3], 1e-2], [[2, 3, 9], 1e-5]] as const) {
      it(`InstanceNormalization [${shape}] ε=${eps}${io}`, async () => {
        const b = new OnnxGraphBuilder({ opset: 13 });
        const c = shape[1];
        const x = b.input('x', [...shape]);
        b.output(b.node('InstanceNormalization', [x, b.init('s', [c], normalFloat32(c, 1)), b.init('b', [c], normalFloat32(c, 2))], { epsilon: eps }, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout, range: [-3, 5] });
        expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
        const h = opHistogram(graph);
        if (!keepIoLayout || shape.length !== 4) expect(Object.keys(h).every((op) => GPU_OPS.has(op)), JSON.stringify(h)).toBe(true);
      });
    }
    const ln: Array<[number[], number, boolean]> = [
      [[2, 3, 4, 5], -1, true],
      [[2, 3, 4, 5], 1, true],
      [[2, 3, 4, 5], 2, false],
      [[1, 6, 5, 4], -3, true],
      [[2, 7, 16], -1, true],
      [[3, 10], 1, false],
      [[1, 3, 4, 5], 0, true],
      [[2, 3, 4, 5], 0, false],
      [[3, 4], 0, true],
    ];
    for (const [shape, axis, bias] of ln) {
      it(`LayerNormalization [${shape}] axis ${axis}${bias ? '' : ' no bias'}${io}`, async () => {
        const b = new OnnxGraphBuilder({ opset: 17 });
        const x = b.input('x', shape);
        const a = axis < 0 ? axis + shape.length : axis;
        const norm = shape.slice(a);
        const n = norm.reduce((p, d) => p * d, 1);
        const inputs = [x, b.init('s', norm, normalFloat32(n, 3))];
        if (bias) inputs.push(b.init('b', norm, normalFloat32(n, 4)));
        b.output(b.node('LayerNormalization', inputs, { axis, epsilon: 1e-5 }, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout, range: [-2, 3] });
        expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
        const h = opHistogram(graph);
        if (!keepIoLayout || shape.length !== 4) expect(Object.keys(h).every((op) => GPU_OPS.has(op)), JSON.stringify(h)).toBe(true);
      });
    }
  }
  it('LayerNormalization Mean and InvStdDev outputs', async () => {
    const b = new OnnxGraphBuilder({ opset: 17 });
    const x = b.input('x', [2, 5, 8]);
    const [y, mean, inv] = b.nodeMulti('LayerNormalization', [x, b.init('s', [8], normalFloat32(8, 3)), b.init('b', [8], normalFloat32(8, 4))], { axis: -1 }, ['y', 'mean', 'inv_std']);
    b.output(y!);
    b.output(mean!);
    b.output(inv!);
    await expectMatchesOrt(b.build(), { range: [-2, 3] });
  });
});
