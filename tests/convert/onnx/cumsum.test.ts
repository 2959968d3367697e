/**
 * CumSum vs onnxruntime on NHWC-held values (a conv's output), every axis × exclusive × reverse, both
 * I/O layouts: CUMSUM in place (no TRANSPOSE with NHWC I/O), GPU-delegable without exclusive / reverse, off axis 0.
 * A run-time axis is refused.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, importRejection, LAYOUTS, layoutName, opHistogram } from './harness.js';

function model(axis: number, exclusive: number, reverse: number): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 14 });
  const x = b.input('x', [1, 3, 5, 6]);
  const c = b.node('Conv', [x, b.init('w', [4, 3, 1, 1], normalFloat32(12, 5))]);
  b.output(b.node('CumSum', [c, b.init('axis', [], BigInt64Array.of(BigInt(axis)), 'int64')], { exclusive, reverse }, 'y'));
  return b.build();
}

describe('CumSum vs onnxruntime', () => {
  for (const keepIoLayout of LAYOUTS) {
    for (const axis of [1, 2, -1, 0]) {
      for (const [exclusive, reverse] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        it(`axis ${axis} exclusive ${exclusive} reverse ${reverse} (${layoutName(keepIoLayout)})`, async () => {
          const { graph } = await expectMatchesOrt(model(axis, exclusive!, reverse!), { keepIoLayout });
          const h = opHistogram(graph);
          expect(h.CUMSUM).toBe(1);
          if (!keepIoLayout) expect(h.TRANSPOSE, JSON.stringify(h)).toBeUndefined();
          // the delegate computes exclusive / reverse as a plain sum and sums along axis 0 wrong (measured):
          // those stay on the CPU
          const gpu = checkGpuCompat(graph).unsupportedLines.join('\n');
          if (exclusive || reverse) expect(gpu).toMatch(/CUMSUM: .*exclusive or reverse/);
          else if (axis === 0) expect(gpu).toMatch(/CUMSUM: Cumsum along axis 0/);
          else expect(gpu).toBe('');
        });
      }
    }
  }

  it('refuses a run-time axis', () => {
    const b = new OnnxGraphBuilder({ opset: 14 });
    b.output(b.node('CumSum', [b.input('x', [2, 3]), b.input('axis', [], 'int32')], {}, 'y'));
    const e = importRejection(b.build());
    expect(e.diagnostics.map((d) => d.reason)).toEqual(['requires-constant-input']);
    expect(e.diagnostics[0]!.message).toMatch(/CumSum axis \(input 'axis'\) must be a constant/);
  });
});
