/** CastLike (opset 15): the target type comes from a runtime input; constants convert at import. */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

describe('CastLike', () => {
  it('a constant CastLike a runtime float32 input converts at import (no CAST op)', async () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    const x = b.input('x', [2, 3]);
    const k = b.node('CastLike', [b.init('k', [3], [1, 2, 3], 'int64'), x]);
    b.output(b.node('Mul', [x, k], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toEqual({ MUL: 1 });
  });
  it('runtime float32 CastLike a float32 value is the value itself', async () => {
    const b = new OnnxGraphBuilder({ opset: 15 });
    const x = b.input('x', [2, 3]);
    b.output(b.node('Relu', [b.node('CastLike', [x, b.init('like', [1], [0], 'float32')])], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toEqual({ RELU: 1 });
  });
});
