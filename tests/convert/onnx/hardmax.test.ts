/**
 * Hardmax vs onnxruntime on NHWC-held values full of ties (an exact identity conv, ×2, Floor: a few
 * integer levels), so "the first maximum" is what is tested: opset 11 (trailing dims coerced to
 * 2-D) and 13 (one axis), every axis, both I/O layouts; GPU-delegate ops only at opset 13 (but along axis 0).
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, LAYOUTS, layoutName, opHistogram } from './harness.js';

const C = 4;
const eye = Float32Array.from({ length: C * C }, (_, i) => (i % (C + 1) === 0 ? 1 : 0));

function model(opset: number, axis: number): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', [2, C, 3, 5]);
  const c = b.node('Conv', [x, b.init('w', [C, C, 1, 1], eye)]);
  const levels = b.node('Floor', [b.node('Mul', [c, b.init('two', [], [2])])]);
  b.output(b.node('Hardmax', [levels], { axis }, 'y'));
  return b.build();
}

describe('Hardmax vs onnxruntime (ties: the first maximum)', () => {
  for (const keepIoLayout of LAYOUTS) {
    for (const opset of [11, 13]) {
      for (const axis of [0, 1, 2, -1]) {
        it(`opset ${opset} axis ${axis} (${layoutName(keepIoLayout)})`, async () => {
          const { graph, expected } = await expectMatchesOrt(model(opset, axis), { keepIoLayout, range: [-1.5, 1.5], tol: 0 });
          const ones = Array.from(expected[0]!.data as Float32Array).filter((v) => v === 1).length;
          expect(ones).toBeGreaterThan(0);
          const h = opHistogram(graph);
          expect(h.CUMSUM).toBe(1);
          // CUMSUM along axis 0 is computed wrong by the delegate (measured): the table keeps it on the CPU
          const gpu = checkGpuCompat(graph).unsupportedLines.join('\n');
          if (opset === 13) expect(gpu).toBe(axis === 0 ? 'CUMSUM: Cumsum along axis 0 (or a run-time axis) is not supported.' : '');
          if (opset === 13 && !keepIoLayout) expect(h.TRANSPOSE, JSON.stringify(h)).toBeUndefined();
        });
      }
    }
  }
});
