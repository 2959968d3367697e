/** NonMaxSuppression is refused by name with the reason (dynamic-shape), not emitted with another output contract. */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { importRejection } from './harness.js';

describe('ONNX NonMaxSuppression', () => {
  it('is refused as dynamic-shape, naming the node and the way out', () => {
    const b = new OnnxGraphBuilder({ opset: 11 });
    const boxes = b.input('boxes', [1, 6, 4]);
    const scores = b.input('scores', [1, 1, 6]);
    const max = b.init('max', [1], BigInt64Array.of(3n), 'int64');
    const iou = b.init('iou', [1], Float32Array.of(0.5));
    b.output(b.node('NonMaxSuppression', [boxes, scores, max, iou], {}, 'selected'), undefined, 'int64');
    const e = importRejection(b.build());
    expect(e.diagnostics[0]).toMatchObject({ reason: 'dynamic-shape', opType: 'NonMaxSuppression' });
    expect(e.diagnostics[0]!.message).toMatch(/data-dependent row count.*--outputs/);
  });
});
