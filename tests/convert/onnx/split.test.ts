/** Split → SPLIT / SPLIT_V on NHWC activations (axis remapped) and plain tensors, vs onnxruntime. */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

interface Case {
  name: string;
  opset: number;
  shape: number[];
  axis?: number;
  /** sizes: attribute (opset < 13) or input (13+) */
  sizes?: number[];
  numOutputs?: number;
  outputs: number;
  emits: 'SPLIT' | 'SPLIT_V';
}

const cases: Case[] = [
  { name: 'channels in 2 (opset 13, no sizes)', opset: 13, shape: [1, 6, 4, 5], axis: 1, outputs: 2, emits: 'SPLIT' },
  { name: 'channels [1,2,3] (opset 13 input)', opset: 13, shape: [1, 6, 4, 5], axis: 1, sizes: [1, 2, 3], outputs: 3, emits: 'SPLIT_V' },
  { name: 'H [3,1] (opset 11 attribute)', opset: 11, shape: [1, 2, 4, 5], axis: 2, sizes: [3, 1], outputs: 2, emits: 'SPLIT_V' },
  { name: 'W axis -1 in 5 (opset 11)', opset: 11, shape: [1, 2, 4, 5], axis: -1, outputs: 5, emits: 'SPLIT' },
  { name: 'opset 18 num_outputs 3 over 8 channels (uneven last)', opset: 18, shape: [1, 8, 2, 3], axis: 1, numOutputs: 3, outputs: 3, emits: 'SPLIT_V' },
  { name: '3-D axis 0 default', opset: 13, shape: [4, 3, 2], outputs: 2, emits: 'SPLIT' },
];

describe('Split', () => {
  for (const keepIoLayout of [false, true]) {
    for (const c of cases) {
      it(`${c.name} (keepIoLayout ${keepIoLayout})`, async () => {
        const b = new OnnxGraphBuilder({ opset: c.opset });
        const ins = [b.input('x', c.shape)];
        const attrs: Record<string, number | number[]> = {};
        if (c.axis !== undefined) attrs.axis = c.axis;
        if (c.sizes && c.opset >= 13) ins.push(b.init('sizes', [c.sizes.length], c.sizes, 'int64'));
        if (c.sizes && c.opset < 13) attrs.split = c.sizes;
        if (c.numOutputs) attrs.num_outputs = c.numOutputs;
        const outs = b.nodeMulti('Split', ins, attrs, Array.from({ length: c.outputs }, (_, i) => `y${i}`));
        for (const o of outs) b.output(o);
        const { graph, error } = await expectMatchesOrt(b.build(), { keepIoLayout });
        expect(error).toBe(0);
        const h = opHistogram(graph);
        expect(h[c.emits]).toBe(1);
        expect(h.TRANSPOSE ?? 0).toBe(0);
      });
    }
  }
  it('an empty part (rotary-embedding tail) is dropped by the Concat that reads it', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 2, 3, 4]);
    const [rot, rest] = b.nodeMulti('Split', [x, b.init('s', [2], [4, 0], 'int64')], { axis: -1 }, 2);
    b.output(b.node('Concat', [b.node('Relu', [rot!]), rest!], { axis: -1 }, 'y'));
    const { graph, error } = await expectMatchesOrt(b.build());
    expect(error).toBe(0);
    expect(opHistogram(graph)).toEqual({ RELU: 1 });
  });
  it('rejects sizes that do not add up, naming the node', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const outs = b.nodeMulti('Split', [b.input('x', [1, 6]), b.init('s', [2], [2, 3], 'int64')], { axis: 1 }, ['a', 'c']);
    for (const o of outs) b.output(o);
    const { importOnnx } = await import('../../../src/convert/onnx/import.js');
    let diag: unknown;
    try {
      importOnnx(b.build());
    } catch (e) {
      diag = (e as { diagnostics: unknown[] }).diagnostics[0];
    }
    expect(diag).toMatchObject({ node: 'Split_node_0', reason: 'shape-mismatch', message: expect.stringMatching(/do not add up to the axis length 6/) });
  });
});
