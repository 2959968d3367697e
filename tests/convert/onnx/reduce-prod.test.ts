/** ReduceProd of runtime data → REDUCE_PROD (constant inputs fold instead: fold.test.ts), vs onnxruntime. */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import type { AttrValue } from '../../../src/samples/onnx-model.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

describe('ReduceProd (runtime data)', () => {
  for (const [axes, keepdims, opset] of [[[1], 1, 13], [[2, 3], 0, 13], [[-1], 1, 18]] as const) {
    it(`axes [${axes}] keepdims=${keepdims} (opset ${opset}) on an NHWC activation`, async () => {
      const b = new OnnxGraphBuilder({ opset });
      const x = b.input('x', [1, 3, 4, 5]);
      const c = b.node('Conv', [x, b.init('w', [3, 3, 1, 1], normalFloat32(9, 2, 0.6))]);
      const attrs: Record<string, AttrValue> = opset >= 18 ? { keepdims } : { axes: [...axes], keepdims };
      const ins = opset >= 18 ? [c, b.init('axes', [axes.length], [...axes], 'int64')] : [c];
      b.output(b.node('ReduceProd', ins, attrs, 'y'));
      const { graph } = await expectMatchesOrt(b.build(), { range: [0.5, 1.5] });
      expect(opHistogram(graph).REDUCE_PROD).toBe(1);
    });
  }
});
