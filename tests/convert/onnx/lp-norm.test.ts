/**
 * LpNormalization (p = 1, 2) against onnxruntime: over every axis of a conv's NHWC-held output (the
 * channel axis without a TRANSPOSE), on 2-D / 3-D input, and with an all-zero slice (0, as onnxruntime
 * gives, not NaN). The conformance suite has one 3-D case (test_lpnormalization_default).
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

function model(p: number, axis: number, shape: number[], conv: boolean, zeroMask = false): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 22 });
  let x = b.input('x', shape);
  if (conv) x = b.node('Conv', [x, b.init('w', [shape[1]!, shape[1]!, 1, 1], normalFloat32(shape[1]! ** 2, 3))]);
  if (zeroMask) {
    const n = shape.reduce((a, d) => a * d, 1);
    // the first slice along the last axis is all zero
    x = b.node('Mul', [x, b.init('mask', shape, Float32Array.from({ length: n }, (_, i) => (i % shape.at(-1)! === 0 ? 0 : 1)).map((m, i) => (Math.floor(i / shape.at(-1)!) === 0 ? 0 : m)))]);
  }
  b.output(b.node('LpNormalization', [x], { p: attr.int(p), axis: attr.int(axis) }, 'y'));
  return b.build();
}

describe('ONNX LpNormalization vs onnxruntime', () => {
  for (const keepIoLayout of LAYOUTS) {
    for (const p of [1, 2]) {
      for (const axis of [1, -1, 2, 0]) {
        it(`p=${p} axis ${axis} after a Conv [1,6,5,4] (${layoutName(keepIoLayout)})`, async () => {
          const { graph } = await expectMatchesOrt(model(p, axis, [1, 6, 5, 4], true), { keepIoLayout, range: [-2, 3] });
          expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
          if (!keepIoLayout) expect(opHistogram(graph).TRANSPOSE).toBeUndefined();
        });
      }
      it(`p=${p} on [3,5] axis 1 with an all-zero row (${layoutName(keepIoLayout)})`, async () => {
        const { actual } = await expectMatchesOrt(model(p, 1, [3, 5], false, true), { keepIoLayout });
        expect(Array.from(actual[0]!.data as Float32Array).slice(0, 5).every((y) => y === 0)).toBe(true);
      });
      it(`p=${p} on [2,4,3] axis 1 (${layoutName(keepIoLayout)})`, async () => {
        await expectMatchesOrt(model(p, 1, [2, 4, 3], false), { keepIoLayout });
      });
    }
  }

  it('refuses p = 3 by name', () => {
    const e = importRejection(model(3, 1, [2, 4], false));
    expect(e.diagnostics[0]).toMatchObject({ reason: 'unsupported-attribute', opType: 'LpNormalization' });
  });
});
