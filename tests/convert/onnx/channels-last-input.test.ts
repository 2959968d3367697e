/**
 * A channels-last ONNX input (tf2onnx's Keras exports: NHWC input → Rescaling-style Mul / Add →
 * Transpose 0,3,1,2 → Conv) stays as declared: no TRANSPOSE, the .tflite input is [1,H,W,3], and the
 * conversion matches onnxruntime. An input also read other than through that Transpose is moved to NHWC as usual.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/convert/index.js';
import { checkConversion } from '../../../src/convert/check.js';
import { buildOnnxModel, normalFloat32 } from '../../helpers/onnx-builder.js';

function kerasStyle(extraReader: boolean): Uint8Array {
  return buildOnnxModel({
    opset: 13,
    inputs: [{ name: 'input', shape: [1, 8, 8, 3] }],
    outputs: [{ name: 'y', shape: [1, 4, 8, 8] }, ...(extraReader ? [{ name: 'side', shape: [1, 8, 8, 3] }] : [])],
    initializers: [
      { name: 'scale', shape: [3], data: Float32Array.from([0.5, 0.25, 2]) },
      { name: 'shift', shape: [3], data: Float32Array.from([-1, 0.5, 0.1]) },
      { name: 'w', shape: [4, 3, 3, 3], data: normalFloat32(108, 3, 0.3) },
    ],
    nodes: [
      { op: 'Mul', inputs: ['input', 'scale'], outputs: ['scaled'] },
      { op: 'Add', inputs: ['scaled', 'shift'], outputs: ['norm'] },
      { op: 'Transpose', inputs: ['norm'], outputs: ['nchw'], attrs: { perm: [0, 3, 1, 2] } },
      { op: 'Conv', inputs: ['nchw', 'w'], outputs: ['y'], attrs: { pads: [1, 1, 1, 1] } },
      ...(extraReader ? [{ op: 'Relu', inputs: ['input'], outputs: ['side'] }] : []),
    ],
  });
}

describe('channels-last ONNX inputs', () => {
  it('Keras-style preprocessing then Transpose 0,3,1,2: the input is kept [1,H,W,C], no TRANSPOSE, matches onnxruntime', async () => {
    const bytes = kerasStyle(false);
    const { graph, tflite } = convert({ bytes });
    expect(graph.tensor(graph.inputs[0]!).shape).toEqual([1, 8, 8, 3]);
    expect(graph.nodes.filter((n) => n.op === 'TRANSPOSE')).toEqual([]);
    expect((await checkConversion(bytes, tflite, graph)).pass).toBe(true);
  });

  it('an input also read directly by another op is moved to NHWC as before', async () => {
    const bytes = kerasStyle(true);
    const { graph, tflite } = convert({ bytes });
    expect(graph.tensor(graph.inputs[0]!).shape).toEqual([1, 8, 3, 8]);
    expect((await checkConversion(bytes, tflite, graph)).pass).toBe(true);
  });
});
