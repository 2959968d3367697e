import { describe, expect, it } from 'vitest';
import { lowerRankSlices, sliceView } from '../../../src/convert/passes/lower-rank-slices.js';
import { mergeReshapes } from '../../../src/convert/passes/merge-reshapes.js';
import { checkGpuCompat } from '../../../src/convert/gpu/check.js';
import type { Graph } from '../../../src/ir/graph.js';
import { IrBuilder, cloneGraph } from '../../helpers/ir-builder.js';
import { expectSameInLiteRt } from '../../helpers/tflite-oracle.js';
import { runPass } from './pass-harness.js';

const maxRank = (g: Graph) => Math.max(...g.nodes.flatMap((n) => [...n.inputs, ...n.outputs]).filter(Boolean).map((t) => g.tensor(t).shape.length));

/** deit's unbind after lower-transpose-rank: [9,197,64]-like → RESHAPE [3,1,3,N,D] → cut along axis 0 → RESHAPE [1,3,N,D] each. */
function unbind(cut: 'split' | 'slice' | 'strided' | 'gather'): Graph {
  const b = new IrBuilder(21);
  const [H, N, D] = [3, 7, 4];
  const five = b.reshape(b.unary('RELU', b.input('x', [3 * H, N, D])), [3, 1, H, N, D]);
  const piece = [1, 1, H, N, D];
  const parts = [0, 1, 2].map((i) => {
    if (cut === 'slice') return b.op('SLICE', [five, b.ints([i, 0, 0, 0, 0]), b.ints(piece)], piece);
    if (cut === 'strided') return b.op('STRIDED_SLICE', [five, b.ints([i, 0, 0, 0, 0]), b.ints([i + 1, 1, H, N, D]), b.ints([1, 1, 1, 1, 1])], piece, { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0 });
    if (cut === 'gather') return b.op('GATHER', [five, b.ints([i])], piece, { axis: 0, batchDims: 0 });
    return '';
  });
  if (cut === 'split') {
    const first = b.op('SPLIT', [b.const(undefined, [], [0], { dtype: 'int32' }), five], piece, { numSplits: 3 });
    const node = b.graph.nodes[b.graph.nodes.length - 1]!;
    for (const k of [1, 2]) {
      const name = b.graph.uniqueName(`${first}_${k}`);
      b.graph.addTensor({ ...b.graph.tensor(first), name });
      node.outputs.push(name);
    }
    parts.splice(0, 3, ...node.outputs);
  }
  const [q, k, v] = parts.map((t) => b.reshape(t, [1, H, N, D]));
  b.output(b.binary('ADD', b.binary('MUL', q!, k!), v!));
  return b.graph;
}

describe('lower-rank-slices', () => {
  it('groups a rank-5/6 shape into a 4-D view: cut axes alone and never on the batch axis', () => {
    expect(sliceView([3, 1, 3, 197, 64], new Set([0]))).toEqual([[], [0], [2, 3], [4]]);
    expect(sliceView([64, 49, 3, 3, 32], new Set([2]))).toEqual([[0, 1], [2], [3], [4]]);
    expect(sliceView([2, 1, 3, 4, 5], new Set([4]))).toEqual([[0], [2], [3], [4]]);
    expect(sliceView([1, 8, 7, 8, 7, 96], new Set([2, 4]))).toBeUndefined();
    expect(sliceView([2, 3, 4, 5, 6], new Set([0, 2, 4]))).toBeUndefined();
  });

  for (const cut of ['split', 'slice', 'strided', 'gather'] as const) {
    it(`a rank-5 ${cut} along the leading axis runs at rank 4; with merge-reshapes no rank-5 tensor is left and all ops delegate`, async () => {
      const a = runPass(lowerRankSlices, unbind(cut));
      expect(a.result.status).toBe('applied');
      expect(a.result.stats).toMatchObject({ lowered: cut === 'split' ? 1 : 3 });
      const op = cut === 'split' ? 'SPLIT' : cut === 'strided' ? 'STRIDED_SLICE' : 'SLICE';
      for (const n of a.after.nodes.filter((m) => m.op === op)) expect(a.after.tensor(n.inputs[op === 'SPLIT' ? 1 : 0]!).shape).toEqual([1, 3, 21, 4]);
      await expectSameInLiteRt(a.before, a.after, 1, 0);
      const g = cloneGraph(a.after);
      expect(mergeReshapes.run(g).status).toBe('applied');
      expect(maxRank(g)).toBe(4);
      expect(checkGpuCompat(g).fullyDelegated).toBe(true);
      await expectSameInLiteRt(a.before, g, 2, 0);
    });
  }

  it('a rank-5 CONCATENATION runs at rank 4', async () => {
    const b = new IrBuilder(22);
    const p = b.reshape(b.input('x', [2, 3, 20]), [2, 3, 1, 4, 5]);
    const q = b.reshape(b.input('y', [2, 6, 20]), [2, 3, 2, 4, 5]);
    b.output(b.reshape(b.op('CONCATENATION', [p, q], [2, 3, 3, 4, 5], { axis: 2, activation: 'NONE' }), [2, 9, 20]));
    const a = runPass(lowerRankSlices, b.graph);
    expect(a.result.status).toBe('applied');
    const cat = a.after.nodes.find((n) => n.op === 'CONCATENATION')!;
    expect(a.after.tensor(cat.outputs[0]!).shape).toEqual([6, 3, 4, 5]);
    expect(cat.attrs.axis).toBe(1);
    await expectSameInLiteRt(a.before, a.after, 1, 0);
  });

  it('declines a GATHER of indices that are not consecutive', () => {
    const b = new IrBuilder(23);
    const five = b.reshape(b.input('x', [6, 7, 4]), [3, 2, 1, 7, 4]);
    b.output(b.op('GATHER', [five, b.ints([2, 0])], [2, 2, 1, 7, 4], { axis: 0, batchDims: 0 }));
    const a = runPass(lowerRankSlices, b.graph);
    expect(a.result.status).toBe('declined');
    expect(a.result.declines![0]).toMatch(/indices \[2,0\] are not consecutive/);
  });
});
