/**
 * AffineGrid vs onnxruntime: 2-D and 3-D, align_corners 0 / 1, batch 1 and 2, and a spatial
 * transformer (AffineGrid → GridSample of a conv's output), with θ a run-time input.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, normalFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

function grid(size: number[], align: number): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 20 });
  const k = size.length - 2;
  const theta = b.input('theta', [size[0]!, k, k + 1]);
  b.output(b.node('AffineGrid', [theta, b.init('size', [size.length], BigInt64Array.from(size, BigInt), 'int64')], { align_corners: attr.int(align) }, 'grid'));
  return b.build();
}

describe('AffineGrid vs onnxruntime', () => {
  for (const size of [[1, 3, 4, 5], [2, 1, 3, 7], [2, 1, 2, 3, 4], [1, 1, 1, 1]]) {
    for (const align of [0, 1]) {
      it(`size [${size}] align_corners ${align}`, async () => {
        const { graph } = await expectMatchesOrt(grid(size, align), { keepIoLayout: true, range: [-2, 2] });
        expect(opHistogram(graph).BATCH_MATMUL).toBe(1);
      });
    }
  }

  for (const keepIoLayout of LAYOUTS) {
    it(`spatial transformer: AffineGrid → GridSample of a conv output (${layoutName(keepIoLayout)})`, async () => {
      const b = new OnnxGraphBuilder({ opset: 20 });
      const x = b.input('x', [2, 3, 6, 8]);
      const c = b.node('Conv', [x, b.init('w', [4, 3, 1, 1], normalFloat32(12, 4))]);
      const theta = b.input('theta', [2, 2, 3]);
      const g = b.node('AffineGrid', [theta, b.init('size', [4], BigInt64Array.of(2n, 4n, 5n, 7n), 'int64')], {});
      b.output(b.node('GridSample', [c, g], { mode: attr.string('linear'), padding_mode: attr.string('border') }, 'y'));
      await expectMatchesOrt(b.build(), { keepIoLayout, range: [-1, 1] });
    });
  }

  it('refuses a run-time size', () => {
    const b = new OnnxGraphBuilder({ opset: 20 });
    b.output(b.node('AffineGrid', [b.input('theta', [1, 2, 3]), b.input('size', [4], 'int64')], {}, 'grid'));
    const e = importRejection(b.build());
    expect(e.diagnostics.map((d) => d.reason)).toEqual(['requires-constant-input']);
    expect(e.diagnostics[0]!.message).toMatch(/AffineGrid size \(input 'size'\) must be a constant/);
  });
});
