/**
 * LogSoftmax vs onnxruntime on NHWC-held values (a conv's output) and plain ones, opset 11 (the
 * trailing axes coerced together) and 13 (one axis), large inputs (the max shift): the lowering
 * uses GPU-delegate ops only and no TRANSPOSE. The conformance suite covers 3-D inputs.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, LAYOUTS, layoutName, opHistogram } from './harness.js';

function model(opset: number, axis: number, conv: boolean, shape = [1, 3, 5, 6]): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', shape);
  const v = conv ? b.node('Conv', [x, b.init('w', [4, shape[1]!, 1, 1], normalFloat32(4 * shape[1]!, 5))]) : x;
  b.output(b.node('LogSoftmax', [v], { axis }, 'y'));
  return b.build();
}

describe('LogSoftmax vs onnxruntime', () => {
  for (const keepIoLayout of LAYOUTS) {
    for (const opset of [11, 13]) {
      for (const axis of [1, 2, -1, 0]) {
        it(`opset ${opset} axis ${axis} after a conv (${layoutName(keepIoLayout)})`, async () => {
          const { graph } = await expectMatchesOrt(model(opset, axis, true), { keepIoLayout, range: [-30, 30] });
          expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
          const h = opHistogram(graph);
          expect(h.REDUCE_MAX).toBe(1);
          if (!keepIoLayout) expect(h.TRANSPOSE, JSON.stringify(h)).toBeUndefined();
        });
      }
    }
    it(`opset 11 axis 1 on [2, 7, 9] (${layoutName(keepIoLayout)})`, async () => {
      await expectMatchesOrt(model(11, 1, false, [2, 7, 9]), { keepIoLayout, range: [-1000, 1000] });
    });
  }
});
