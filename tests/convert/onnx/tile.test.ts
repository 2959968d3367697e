/** Tile / Expand → TILE (multiples permuted for NHWC), never BROADCAST_TO, vs onnxruntime. */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

describe('Tile / Expand', () => {
  for (const keepIoLayout of [false, true]) {
    const tag = `keepIoLayout ${keepIoLayout}`;
    it(`Tile of a 4-D input over C, H and W (${tag})`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.output(b.node('Tile', [b.input('x', [1, 2, 3, 4]), b.init('r', [4], [1, 3, 2, 1], 'int64')], {}, 'y'));
      const { graph, error } = await expectMatchesOrt(b.build(), { keepIoLayout });
      expect(error).toBe(0);
      expect(opHistogram(graph)).toEqual({ TILE: 1 });
    });
    it(`Expand [1,C,1,1] → [1,C,H,W] (${tag})`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.output(b.node('Expand', [b.input('x', [1, 3, 1, 1]), b.init('s', [4], [1, 3, 4, 5], 'int64')], {}, 'y'));
      const { graph, error } = await expectMatchesOrt(b.build(), { keepIoLayout });
      expect(error).toBe(0);
      expect(opHistogram(graph)).toEqual({ TILE: 1 });
    });
    it(`Expand of a 2-D [H,1] to [1,2,H,W] (rank grows) (${tag})`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.output(b.node('Expand', [b.input('x', [4, 1]), b.init('s', [4], [1, 2, 1, 5], 'int64')], {}, 'y'));
      const { error } = await expectMatchesOrt(b.build(), { keepIoLayout });
      expect(error).toBe(0);
    });
  }
  it('Expand to the same shape is no op at all (the input is the output copy)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const r = b.node('Relu', [b.input('x', [2, 3])]);
    b.output(b.node('Expand', [r, b.init('s', [2], [1, 3], 'int64')], {}, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(opHistogram(graph)).toEqual({ RELU: 1 });
  });
  it('Tile 1-D (opset 6)', async () => {
    const b = new OnnxGraphBuilder({ opset: 6 });
    b.output(b.node('Tile', [b.input('x', [3]), b.init('r', [1], [3], 'int64')], {}, 'y'));
    const { error } = await expectMatchesOrt(b.build());
    expect(error).toBe(0);
  });
  it('rejects a runtime Expand shape, naming the node', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('Expand', [b.input('x', [1, 3]), b.input('s', [2], 'int64')], {}, 'y'));
    const { importOnnx } = await import('../../../src/convert/onnx/import.js');
    let diag: unknown;
    try {
      importOnnx(b.build());
    } catch (e) {
      diag = (e as { diagnostics: unknown[] }).diagnostics[0];
    }
    expect(diag).toMatchObject({ node: 'Expand_node_0', reason: 'requires-constant-input' });
  });
});
