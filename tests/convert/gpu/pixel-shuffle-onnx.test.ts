/**
 * End to end: PyTorch's pixel_shuffle as it exports (Conv → Reshape 6-D → Transpose 6-D → Reshape)
 * converts to CONV_2D + DEPTH_TO_SPACE, runs wholly in the GPU delegate (kirin9000 rules), and
 * LiteRT agrees with onnxruntime on the source model.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/convert/index.js';
import { checkConversion } from '../../../src/convert/check.js';
import { gpuVerdict } from '../../../src/convert/gpu/verdict.js';
import { resolveTarget } from '../../../src/convert/gpu/targets.js';
import { buildOnnxModel, normalFloat32 } from '../../helpers/onnx-builder.js';

function pixelShuffleModel(): Uint8Array {
  const i64 = (v: number[]) => BigInt64Array.from(v.map(BigInt));
  return buildOnnxModel({
    opset: 13,
    inputs: [{ name: 'x', shape: [1, 3, 8, 8] }],
    outputs: [{ name: 'y', shape: [1, 4, 16, 16] }],
    initializers: [
      { name: 'w1', shape: [8, 3, 3, 3], data: normalFloat32(216, 1, 0.3) },
      { name: 'b1', shape: [8], data: normalFloat32(8, 2, 0.1) },
      { name: 'w2', shape: [4, 2, 3, 3], data: normalFloat32(72, 3, 0.3) },
      { name: 'b2', shape: [4], data: normalFloat32(4, 4, 0.1) },
      { name: 's6', shape: [6], dtype: 'int64', data: i64([1, 2, 2, 2, 8, 8]) },
      { name: 's4', shape: [4], dtype: 'int64', data: i64([1, 2, 16, 16]) },
    ],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w1', 'b1'], outputs: ['c1'], attrs: { pads: [1, 1, 1, 1] } },
      { op: 'Reshape', inputs: ['c1', 's6'], outputs: ['r6'] },
      { op: 'Transpose', inputs: ['r6'], outputs: ['t6'], attrs: { perm: [0, 1, 4, 2, 5, 3] } },
      { op: 'Reshape', inputs: ['t6', 's4'], outputs: ['ps'] },
      { op: 'Conv', inputs: ['ps', 'w2', 'b2'], outputs: ['c2'], attrs: { pads: [1, 1, 1, 1] } },
      { op: 'Sigmoid', inputs: ['c2'], outputs: ['y'] },
    ],
  });
}

/** pixel_unshuffle (r = 2) as PyTorch exports it, then a conv. */
function pixelUnshuffleModel(): Uint8Array {
  const i64 = (v: number[]) => BigInt64Array.from(v.map(BigInt));
  return buildOnnxModel({
    opset: 13,
    inputs: [{ name: 'x', shape: [1, 2, 8, 8] }],
    outputs: [{ name: 'y', shape: [1, 4, 4, 4] }],
    initializers: [
      { name: 'w', shape: [4, 8, 3, 3], data: normalFloat32(288, 5, 0.3) },
      { name: 'b', shape: [4], data: normalFloat32(4, 6, 0.1) },
      { name: 's6', shape: [6], dtype: 'int64', data: i64([1, 2, 4, 2, 4, 2]) },
      { name: 's4', shape: [4], dtype: 'int64', data: i64([1, 8, 4, 4]) },
    ],
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['r'] },
      { op: 'Reshape', inputs: ['r', 's6'], outputs: ['r6'] },
      { op: 'Transpose', inputs: ['r6'], outputs: ['t6'], attrs: { perm: [0, 1, 3, 5, 2, 4] } },
      { op: 'Reshape', inputs: ['t6', 's4'], outputs: ['pu'] },
      { op: 'Conv', inputs: ['pu', 'w', 'b'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
      { op: 'Sigmoid', inputs: ['c'], outputs: ['y'] },
    ],
  });
}

describe('pixel_shuffle ONNX export → DEPTH_TO_SPACE', () => {
  it('converts fully GPU-delegated for kirin9000 and matches onnxruntime', async () => {
    const bytes = pixelShuffleModel();
    const { graph, tflite } = convert({ bytes });
    const ops = graph.nodes.map((n) => n.op);
    expect(ops).toContain('DEPTH_TO_SPACE');
    expect(graph.nodes.filter((n) => n.inputs.concat(n.outputs).some((t) => t && graph.tensor(t).shape.length > 4))).toEqual([]);
    const t = resolveTarget('kirin9000');
    const v = gpuVerdict(graph, t.options);
    expect(v.cpuOps).toEqual([]);
    expect(v.delegatePartitions).toBe(1);
    const check = await checkConversion(bytes, tflite, graph);
    expect(check.pass).toBe(true);
  });

  it('pixel_unshuffle → SPACE_TO_DEPTH with the next conv reading the channels in its order; fully delegated; matches onnxruntime', async () => {
    const bytes = pixelUnshuffleModel();
    const { graph, tflite } = convert({ bytes });
    expect(graph.nodes.map((n) => n.op)).toContain('SPACE_TO_DEPTH');
    expect(graph.nodes.filter((n) => n.inputs.concat(n.outputs).some((t) => t && graph.tensor(t).shape.length > 4))).toEqual([]);
    const v = gpuVerdict(graph, resolveTarget('kirin9000').options);
    expect(v.cpuOps).toEqual([]);
    const check = await checkConversion(bytes, tflite, graph);
    expect(check.pass).toBe(true);
  });
});
