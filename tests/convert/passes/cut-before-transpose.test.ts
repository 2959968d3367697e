import { describe, expect, it } from 'vitest';
import { cutBeforeTranspose } from '../../../src/convert/passes/cut-before-transpose.js';
import { lowerRankSlices } from '../../../src/convert/passes/lower-rank-slices.js';
import { mergeReshapes } from '../../../src/convert/passes/merge-reshapes.js';
import { runPasses } from '../../../src/convert/passes/manager.js';
import { constInts } from '../../../src/convert/passes/graph-util.js';
import { checkGpuCompat } from '../../../src/convert/gpu/check.js';
import type { Graph } from '../../../src/ir/graph.js';
import { IrBuilder, cloneGraph } from '../../helpers/ir-builder.js';
import { expectSameInLiteRt } from '../../helpers/tflite-oracle.js';
import { runPass } from './pass-harness.js';

const maxRank = (g: Graph) => Math.max(...g.nodes.flatMap((n) => [...n.inputs, ...n.outputs]).filter(Boolean).map((t) => g.tensor(t).shape.length));

/** SPLIT of `x` along `axis` into `n` equal parts (the IR builder makes one output per node). */
function splitOf(b: IrBuilder, x: string, axis: number, n: number): string[] {
  const part = b.shape(x).map((d, i) => (i === axis ? d / n : d));
  const first = b.op('SPLIT', [b.const(undefined, [], [axis], { dtype: 'int32' }), x], part, { numSplits: n });
  const node = b.graph.nodes[b.graph.nodes.length - 1]!;
  for (let k = 1; k < n; k++) {
    const name = b.graph.uniqueName(`${first}_${k}`);
    b.graph.addTensor({ ...b.graph.tensor(first), name });
    node.outputs.push(name);
  }
  return node.outputs;
}

/** Swin / MobileViT attention: qkv [B,N,3·H·D] → [B,N,3,H,D] → perm (2,0,3,1,4) → q, k, v → q·k + v. */
function qkv(cut: 'split' | 'gather'): Graph {
  const b = new IrBuilder(11);
  const [B, N, H, D] = [4, 5, 2, 3];
  const x = b.unary('RELU', b.input('x', [B, N, 3 * H * D]));
  const five = b.transpose(b.reshape(x, [B, N, 3, H, D]), [2, 0, 3, 1, 4]);
  const parts = cut === 'split' ? splitOf(b, five, 0, 3) : [0, 1, 2].map((i) => b.op('GATHER', [five, b.ints([i])], [1, B, H, N, D], { axis: 0, batchDims: 0 }));
  const [q, k, v] = parts.map((t) => b.reshape(t, [B, H, N, D]));
  b.output(b.binary('ADD', b.binary('MUL', q!, k!), v!));
  return b.graph;
}

describe('cut-before-transpose', () => {
  for (const cut of ['split', 'gather'] as const) {
    it(`q, k, v ${cut} off a rank-5 TRANSPOSE with 5 runs: one rank-4 TRANSPOSE before the cut, each piece a RESHAPE, no rank-5 tensor left (with lower-rank-slices)`, async () => {
      const a = runPass(cutBeforeTranspose, qkv(cut));
      expect(a.result.status).toBe('applied');
      // the first TRANSPOSE (0,2,3,1,4) and the three pieces' axis moves are lowered
      expect(a.result.stats).toMatchObject({ moved: 1, before: 1, lowered: 4 });
      const ts = a.after.nodes.filter((n) => n.op === 'TRANSPOSE');
      expect(ts).toHaveLength(1);
      expect(a.after.tensor(ts[0]!.inputs[0]!).shape).toEqual([4, 5, 6, 3]);
      expect(constInts(a.after, ts[0]!.inputs[1])).toEqual([0, 2, 1, 3]);
      await expectSameInLiteRt(a.before, a.after, 1, 0);
      const g = cloneGraph(a.after);
      const reports = runPasses(g, [lowerRankSlices, mergeReshapes], { verify: true });
      expect(reports[0]!.status).toBe('applied');
      expect(maxRank(g)).toBe(4);
      expect(checkGpuCompat(g).fullyDelegated).toBe(true);
      await expectSameInLiteRt(a.before, g, 2, 0);
    });
  }

  it('readers cutting thin along different axes: each piece transposed at rank 4', async () => {
    const b = new IrBuilder(13);
    const [B, N, H, D] = [4, 5, 2, 3];
    const five = b.transpose(b.unary('RELU', b.input('x', [B, N, 3, H, D])), [2, 0, 3, 1, 4]);
    b.output(b.op('GATHER', [five, b.ints([1])], [1, B, H, N, D], { axis: 0, batchDims: 0 }));
    b.output(b.op('SLICE', [five, b.ints([0, 0, 1, 0, 0]), b.ints([3, B, 1, N, D])], [3, B, 1, N, D]));
    const a = runPass(cutBeforeTranspose, b.graph);
    expect(a.result.status).toBe('applied');
    expect(a.result.stats).toMatchObject({ moved: 1, before: 0, lowered: 2 });
    expect(a.after.nodes.filter((n) => n.op === 'TRANSPOSE')).toHaveLength(2);
    await expectSameInLiteRt(a.before, a.after, 3, 0);
  });

  it('a rank-4 TRANSPOSE moving only the axis q, k, v are gathered thin along: gone, each piece a RESHAPE (torchvision MultiheadAttention)', async () => {
    const b = new IrBuilder(14);
    const [N, E] = [5, 6];
    const four = b.transpose(b.reshape(b.unary('RELU', b.input('x', [N, 1, 3 * E])), [N, 3, 1, E]), [1, 0, 2, 3]);
    for (const i of [0, 1, 2]) b.output(b.unary('TANH', b.op('GATHER', [four, b.ints([i])], [1, N, 1, E], { axis: 0, batchDims: 0 })));
    const a = runPass(cutBeforeTranspose, b.graph);
    expect(a.result.status).toBe('applied');
    expect(a.result.stats).toMatchObject({ moved: 1, before: 0, lowered: 3 });
    expect(a.after.nodes.filter((n) => n.op === 'TRANSPOSE')).toHaveLength(0);
    await expectSameInLiteRt(a.before, a.after, 4, 0);
  });

  it('leaves a rank-4 TRANSPOSE alone when a piece would still need one', () => {
    const b = new IrBuilder(15);
    const four = b.transpose(b.unary('RELU', b.input('x', [5, 3, 2, 6])), [1, 0, 3, 2]);
    for (const i of [0, 1, 2]) b.output(b.op('GATHER', [four, b.ints([i])], [1, 5, 6, 2], { axis: 0, batchDims: 0 }));
    const a = runPass(cutBeforeTranspose, b.graph);
    expect(a.result.status).toBe('skipped');
    expect(a.after.nodes.filter((n) => n.op === 'TRANSPOSE')).toHaveLength(1);
  });

  it('declines when a reader does not cut, or a piece still needs a rank-5 TRANSPOSE', () => {
    const b = new IrBuilder(12);
    const x = b.input('x', [4, 5, 6, 2, 3]);
    const t = b.transpose(x, [2, 0, 3, 1, 4]);
    b.output(b.unary('TANH', t));
    const halves = splitOf(b, b.transpose(b.input('z', [4, 5, 6, 2, 3]), [2, 0, 3, 1, 4]), 0, 2);
    for (const h of halves) b.output(h);
    const a = runPass(cutBeforeTranspose, b.graph);
    expect(a.result.status).toBe('declined');
    expect(a.result.declines!.join('\n')).toMatch(/feeds TANH/);
    expect(a.result.declines!.join('\n')).toMatch(/still needs a rank-5 TRANSPOSE/);
  });
});
