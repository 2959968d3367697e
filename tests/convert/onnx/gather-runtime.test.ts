/**
 * Gather with run-time indices vs onnxruntime: embedding lookups (constant table, int64 / int32 ids of
 * rank 0–2), activations gathered along each axis, negative indices wrapped exactly, and indices out
 * of [-dim, dim) failing the run in both runtimes instead of wrapping or clamping.
 */
import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { expectSameAsOrt, loadConverted, ortRun, type Feed } from './runtime-values-oracle.js';

const ids = (shape: number[], data: number[], dtype: 'int32' | 'int64' = 'int64'): Feed => ({ name: 'ids', dtype, shape, data });

function embedding(idShape: number[], dtype: 'int32' | 'int64', axis = 0): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const w = b.init('w', [5, 3], normalFloat32(15, 1));
  const i = b.input('ids', idShape, dtype);
  const outShape = axis === 0 ? [...idShape, 3] : [5, ...idShape];
  b.output(b.node('Gather', [w, i], { axis }, 'y'), outShape);
  return b.build();
}

describe('Gather with run-time indices', () => {
  for (const dtype of ['int64', 'int32'] as const) {
    it(`embedding lookup with ${dtype} ids [2,3], negative ids wrapped: GATHER after LESS/ADD/SELECT_V2`, async () => {
      const g = await expectSameAsOrt(embedding([2, 3], dtype), [
        [ids([2, 3], [0, 4, 2, -1, -5, 3], dtype)],
        [ids([2, 3], [1, 1, 1, 0, -2, -3], dtype)],
      ]);
      const ops = g.nodes.map((n) => n.op);
      expect(ops).toContain('GATHER');
      expect(ops).toContain('SELECT_V2');
    });
  }
  it('scalar id and 1-D ids; axis 1 of the table', async () => {
    await expectSameAsOrt(embedding([], 'int64'), [[ids([], [-2])], [ids([], [4])]]);
    await expectSameAsOrt(embedding([4], 'int64'), [[ids([4], [3, -3, 0, -5])]]);
    await expectSameAsOrt(embedding([2], 'int64', 1), [[ids([2], [-1, 0])], [ids([2], [2, -3])]]);
  });
  it('runtime activation gathered on each axis by runtime ids (NHWC data gathered in place)', async () => {
    for (const axis of [0, 1, 2, 3, -1]) {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const x = b.input('x', [2, 3, 4, 5]);
      const i = b.input('ids', [2], 'int64');
      // small-integer weights on multiples of 1/8: the conv is exact in float32 whatever the summation order
      const conv = b.node('Conv', [x, b.init('k', [3, 3, 1, 1], [1, 2, -1, 0, 1, 3, -2, 1, 1])]);
      const a = axis < 0 ? axis + 4 : axis;
      const shape = [2, 3, 4, 5];
      shape[a] = 2;
      b.output(b.node('Gather', [conv, i], { axis }, 'y'), shape);
      const d = [2, 3, 4, 5][a]!;
      const xData = Array.from(normalFloat32(120, 5 + axis), (v) => Math.round(v * 8) / 8);
      const feeds = (v: number[]): Feed[] => [{ name: 'x', dtype: 'float32', shape: [2, 3, 4, 5], data: xData }, ids([2], v)];
      await expectSameAsOrt(b.build(), [feeds([d - 1, -d]), feeds([0, -1])]);
    }
  });
  it('an index outside [-dim, dim) fails the run as in onnxruntime (no wrap, no clamp)', async () => {
    const model = embedding([2], 'int64');
    const lrt = await loadConverted(model);
    try {
      for (const bad of [[5, 0], [0, -6], [2 ** 31 - 1, 0], [-(2 ** 31), 1]]) {
        await expect(ortRun(model, [ids([2], bad)]), `onnxruntime on ${bad}`).rejects.toThrow();
        await expect(lrt.run([ids([2], bad)]), `LiteRT on ${bad}`).rejects.toThrow(/gather index out of bounds|indices_has_only_positive_elements/);
      }
      // the model still runs after a failed run
      const ok = await lrt.run([ids([2], [4, -5])]);
      expect(ok[0]!.shape).toEqual([2, 3]);
    } finally {
      await lrt.dispose();
    }
  });
});
