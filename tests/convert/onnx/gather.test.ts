/** Gather of runtime data with constant indices vs onnxruntime: NHWC activations gathered in place, scalar indices, negative indices. */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/check.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

function convOut(b: OnnxGraphBuilder): string {
  const x = b.input('x', [1, 4, 5, 6]);
  return b.node('Conv', [x, b.init('w', [4, 4, 1, 1], normalFloat32(16, 3))]);
}

describe('Gather (runtime data, constant indices)', () => {
  it('channel list x[:, [3, 0, -1]] of an NHWC activation: three channel SLICEs and a CONCATENATION, no TRANSPOSE, on the GPU', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Relu', [b.node('Gather', [convOut(b), b.init('i', [3], [3, 0, -1], 'int64')], { axis: 1 })], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toEqual({ CONV_2D: 1, SLICE: 3, CONCATENATION: 1, RELU: 1 });
    expect(checkGpuCompat(graph).unsupportedLines).toEqual([]);
  });
  it('a constant list of more than 8 runs stays one GATHER (kept on the CPU by gpu.gather-const-indices)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 10, 2, 2]);
    b.output(b.node('Gather', [b.node('Relu', [x]), b.init('i', [9], [9, 7, 5, 3, 1, 8, 6, 4, 2], 'int64')], { axis: 1 }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph).GATHER).toBe(1);
    expect(checkGpuCompat(graph).unsupportedLines).toEqual([expect.stringMatching(/^GATHER: Constant indices \[9\]/)]);
  });
  it('every position in order (the dynamo exporter\'s as_strided of a [C] vector to [1, C, 1, 1]) is a RESHAPE, no GATHER', async () => {
    const b = new OnnxGraphBuilder({ opset: 18 });
    const x = b.input('x', [8]);
    const idx = b.init('i', [1, 8, 1, 1], [0, 1, 2, 3, 4, 5, 6, 7], 'int64');
    b.output(b.node('Mul', [b.node('Gather', [b.node('Relu', [x]), idx], { axis: 0 }), b.init('s', [1, 8, 1, 1], normalFloat32(8, 2))], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph).GATHER).toBeUndefined();
  });
  it('scalar channel x[:, 2] drops the axis with a RESHAPE only', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Gather', [convOut(b), b.init('i', [], [2], 'int64')], { axis: 1 }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(graph.nodes.map((n) => n.op)).not.toContain('TRANSPOSE');
  });
  for (const axis of [0, 2, 3, -1]) {
    it(`scalar index on axis ${axis}`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.output(b.node('Gather', [convOut(b), b.init('i', [], [axis === 0 ? 0 : -2], 'int64')], { axis }, 'y'));
      await expectMatchesOrt(b.build());
    });
  }
  it('2-D indices on a 3-D input (ONNX order)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [3, 4, 2]);
    b.output(b.node('Gather', [x, b.init('i', [2, 2], [0, 2, -1, 1], 'int64')], { axis: 1 }, 'y'));
    await expectMatchesOrt(b.build());
  });
});
