/** ONNX models for the GPU-verdict CLI tests. */
import { buildOnnxModel, normalFloat32 } from '../helpers/onnx-builder.js';

/** Conv → Relu: every op delegated. */
export function gpuModel(): Uint8Array {
  return buildOnnxModel({
    opset: 13,
    inputs: [{ name: 'x', shape: [1, 3, 8, 8] }],
    outputs: [{ name: 'y', shape: [1, 4, 8, 8] }],
    initializers: [
      { name: 'w', shape: [4, 3, 3, 3], data: normalFloat32(108, 1, 0.3) },
      { name: 'b', shape: [4], data: normalFloat32(4, 2, 0.1) },
    ],
    nodes: [
      { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['c'], attrs: { pads: [1, 1, 1, 1] } },
      { op: 'Relu', inputs: ['c'], outputs: ['y'] },
    ],
  });
}

/**
 * A 5-D detour no rewrite removes (Reshape to [2,2,2,4,4] → a Transpose that moves all five axes
 * independently → Reshape back; no DEPTH_TO_SPACE either): three ops the delegate rejects for
 * rank > 4, named to5d / swap5d / back4d.
 */
export function fiveDModel(): Uint8Array {
  return buildOnnxModel({
    opset: 13,
    inputs: [{ name: 'x', shape: [1, 8, 4, 4] }],
    outputs: [{ name: 'y', shape: [1, 8, 4, 4] }],
    initializers: [
      { name: 's5', shape: [5], dtype: 'int64', data: BigInt64Array.from([2n, 2n, 2n, 4n, 4n]) },
      { name: 's4', shape: [4], dtype: 'int64', data: BigInt64Array.from([1n, 8n, 4n, 4n]) },
    ],
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['r'] },
      { op: 'Reshape', inputs: ['r', 's5'], outputs: ['r5'], name: 'to5d' },
      { op: 'Transpose', inputs: ['r5'], outputs: ['t5'], name: 'swap5d', attrs: { perm: [4, 2, 0, 3, 1] } },
      { op: 'Reshape', inputs: ['t5', 's4'], outputs: ['b4'], name: 'back4d' },
      { op: 'Sigmoid', inputs: ['b4'], outputs: ['y'] },
    ],
  });
}
