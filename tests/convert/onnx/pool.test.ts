import { describe, expect, it } from 'vitest';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import type { AttrValue } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection, opHistogram } from './harness.js';

function poolModel(op: string, attrs: Record<string, AttrValue>, shape = [1, 3, 9, 10], opset = 13): Uint8Array {
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', shape);
  b.output(b.node(op, [x], attrs, 'y'));
  return b.build();
}

const ACCEPTED: Array<[string, string, Record<string, AttrValue>, string[]]> = [
  ['MaxPool 2x2 s2', 'MaxPool', { kernel_shape: [2, 2], strides: [2, 2] }, ['MAX_POOL_2D']],
  ['MaxPool 3x3 s1 pads 1 (SAME)', 'MaxPool', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, ['MAX_POOL_2D']],
  ['MaxPool 3x3 s2 pads 1 (explicit −∞ PADV2)', 'MaxPool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, ['PADV2', 'MAX_POOL_2D']],
  ['MaxPool asymmetric pads 0,1,2,0', 'MaxPool', { kernel_shape: [3, 3], pads: [0, 1, 2, 0] }, ['PADV2', 'MAX_POOL_2D']],
  ['MaxPool auto_pad SAME_UPPER s2', 'MaxPool', { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }, ['MAX_POOL_2D']],
  ['MaxPool ceil_mode 3x3 s2', 'MaxPool', { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }, ['PADV2', 'MAX_POOL_2D']],
  ['AveragePool 2x2 s2', 'AveragePool', { kernel_shape: [2, 2], strides: [2, 2] }, ['AVERAGE_POOL_2D']],
  ['AveragePool 3x3 pads 1 count_include_pad=0 (SAME)', 'AveragePool', { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }, ['AVERAGE_POOL_2D']],
  ['AveragePool 3x3 pads 1 count_include_pad=1 (PAD + depthwise 1/k² VALID)', 'AveragePool', { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 }, ['PAD', 'DEPTHWISE_CONV_2D']],
  ['AveragePool 3x3 s2 pads 1 count_include_pad=1', 'AveragePool', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }, ['PAD', 'DEPTHWISE_CONV_2D']],
  ['AveragePool auto_pad SAME_UPPER s2 count_include_pad=0', 'AveragePool', { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }, ['AVERAGE_POOL_2D']],
  ['AveragePool ceil_mode that adds no window', 'AveragePool', { kernel_shape: [3, 2], strides: [3, 2], ceil_mode: 1 }, ['AVERAGE_POOL_2D']],
  ['GlobalAveragePool', 'GlobalAveragePool', {}, ['MEAN']],
];

describe('ONNX pools vs onnxruntime', () => {
  for (const [name, op, attrs, ops] of ACCEPTED) {
    it(name, async () => {
      const { graph } = await expectMatchesOrt(poolModel(op, attrs), { seed: 3 });
      expect(graph.nodes.map((n) => n.op)).toEqual(ops);
    });
  }
  const divisorCases: Array<[string, Record<string, AttrValue>]> = [
    // out = ceil(10/2) = 5, SAME total = 4·2 + 3 − 10 = 1 → split 0/1; ONNX pads 1/1 differ
    ['AveragePool 3x3 s2 pads 1 count_include_pad=0 (not the SAME split)', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }],
    ['AveragePool pads 2 count_include_pad=0 (more than SAME)', { kernel_shape: [3, 3], pads: [2, 2, 2, 2] }],
    ['AveragePool auto_pad SAME_LOWER count_include_pad=0', { kernel_shape: [2, 2], auto_pad: 'SAME_LOWER' }],
    ['AveragePool ceil_mode partial window count_include_pad=0', { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1 }],
    ['AveragePool ceil_mode partial window count_include_pad=1 pads 1', { kernel_shape: [3, 3], strides: [2, 2], ceil_mode: 1, pads: [1, 1, 1, 1], count_include_pad: 1 }],
  ];
  for (const [name, attrs] of divisorCases) {
    it(`${name}: PAD + depthwise 1/k² + MUL by the exact divisor map`, async () => {
      const { graph } = await expectMatchesOrt(poolModel('AveragePool', attrs, [1, 2, 10, 11]), { seed: 4 });
      expect(graph.nodes.map((n) => n.op)).toEqual(['PAD', 'DEPTHWISE_CONV_2D', 'MUL']);
    });
  }
  for (const [op, attrs] of [
    ['MaxPool', { kernel_shape: [3], strides: [2], pads: [1, 1] }],
    ['AveragePool', { kernel_shape: [3], strides: [2], pads: [1, 0] }],
    ['AveragePool', { kernel_shape: [2], count_include_pad: 1, pads: [1, 1] }],
  ] as Array<[string, Record<string, AttrValue>]>) {
    it(`1-D ${op} ${JSON.stringify(attrs)}`, async () => {
      await expectMatchesOrt(poolModel(op, attrs, [1, 3, 12]));
    });
  }
  it('MaxPool with an Indices output is rejected (dilated pools are converted: pool-dilated.test.ts)', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const [y, idx] = b.nodeMulti('MaxPool', [b.input('x', [1, 3, 9, 10])], { kernel_shape: [2, 2] }, ['y', 'i']);
    b.output(y!);
    b.output(idx!, undefined, 'int64');
    expect(() => importOnnx(b.build())).toThrowError(/cannot be converted/);
  });
  it('a window larger than the padded input is refused naming the node (was an internal error: negative output dims)', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('MaxPool', [b.input('x', [1, 1, 4, 4])], { kernel_shape: [6, 2], pads: [1, 0, 0, 0] }, 'y'));
    const e = importRejection(b.build());
    expect(e.exit).toBe(2);
    expect(e.diagnostics.map((d) => `${d.reason}: ${d.message}`)).toEqual([`shape-mismatch: MaxPool 'MaxPool_node_0': the 6×2 window (dilations included) is larger than the padded input 5×4 (no output cell)`]);
  });
  it('ceil_mode: a window past the input but starting inside it gives one cell (as onnxruntime)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('MaxPool', [b.input('x', [1, 2, 4, 5])], { kernel_shape: [5, 2], strides: [2, 2], ceil_mode: 1 }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(graph.tensor(graph.outputs[0]!).shape).toEqual([1, 1, 3, 2]); // NHWC: H 4 < window 5 → 1 cell, W 5 → 3 cells
  });
  it('a CNN block keeps zero TRANSPOSE ops', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 8, 8]);
    const p = b.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
    const g = b.node('GlobalAveragePool', [p]);
    b.output(b.node('Relu', [g], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph).TRANSPOSE ?? 0).toBe(0);
  });
});
