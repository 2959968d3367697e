/**
 * RMSNormalization (opset 23) against onnxruntime on a conv's NHWC-held output, over the channel-and-
 * spatial axes and the last axis, in both I/O layouts; GPU rules pass. The conformance suite covers
 * 2-D to 4-D inputs and every axis on plain inputs.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, attr, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, LAYOUTS, layoutName } from './harness.js';

describe('ONNX RMSNormalization vs onnxruntime', () => {
  for (const keepIoLayout of LAYOUTS) {
    for (const axis of [1, -1, 2]) {
      it(`axis ${axis} after a Conv [1,6,5,4] (${layoutName(keepIoLayout)})`, async () => {
        const b = new OnnxGraphBuilder({ opset: 23 });
        const x = b.input('x', [1, 6, 5, 4]);
        const c = b.node('Conv', [x, b.init('w', [6, 6, 1, 1], normalFloat32(36, 3))]);
        const norm = [1, 6, 5, 4].slice(axis < 0 ? axis + 4 : axis);
        const n = norm.reduce((p, d) => p * d, 1);
        b.output(b.node('RMSNormalization', [c, b.init('scale', norm, normalFloat32(n, 4))], { axis: attr.int(axis), epsilon: attr.float(1e-3) }, 'y'));
        const { graph } = await expectMatchesOrt(b.build(), { keepIoLayout, range: [-2, 3] });
        expect(checkGpuCompat(graph).unsupportedLines).toEqual([]);
      });
    }
  }
});
