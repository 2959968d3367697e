/**
 * GPU rewrite passes: each turns a graph the delegate would (partly) run on the CPU into one it
 * takes whole (checkGpuCompat, kirin9000 options) and LiteRT computes the same outputs before and after.
 */
import { describe, expect, it } from 'vitest';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { depthToSpaceFromShuffle } from '../../../src/convert/passes/depth-to-space-from-shuffle.js';
import { foldBroadcastTo } from '../../../src/convert/passes/fold-broadcast-to.js';
import { alignBroadcastRanks } from '../../../src/convert/passes/align-broadcast-ranks.js';
import { broadcastView, lowerRankElementwise, lowRankView } from '../../../src/convert/passes/lower-rank-elementwise.js';
import { mergeReshapes } from '../../../src/convert/passes/merge-reshapes.js';
import { removeIdentity } from '../../../src/convert/passes/remove-identity.js';
import { squeezeToReshape } from '../../../src/convert/passes/squeeze-to-reshape.js';
import { runPasses } from '../../../src/convert/passes/manager.js';
import type { Graph } from '../../../src/ir/graph.js';
import { verify } from '../../../src/ir/verify.js';
import { cloneGraph, IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { expectSameInLiteRt } from '../../helpers/tflite-oracle.js';
import type { Pass } from '../../../src/convert/passes/pass.js';

const fully = (g: Graph) => checkGpuCompat(g, { maxDelegatedPartitions: 1 }).fullyDelegated;

function apply(g: Graph, passes: Pass[]): Graph {
  expect(verify(g)).toEqual([]);
  const after = cloneGraph(g);
  const results = runPasses(after, passes, { verify: true });
  for (const r of results) expect(r.status, `${r.id}: ${r.message}`).not.toBe('invalid');
  return after;
}

/** pixel_shuffle as PyTorch exports it (CRD), between NHWC convs: NHWC→NCHW, 6-D reshape/transpose, back. */
function shuffleGraph(order: 'CRD' | 'DCR', withConv: boolean): Graph {
  const b = new IrBuilder(21);
  const r = 2;
  const x = b.input('x', [1, 4, 4, 8]);
  const src = withConv ? b.conv2d(x, { out: 8, k: 3, name: 'conv' }) : x;
  const nchw = b.transpose(src, [0, 3, 1, 2]);
  const six = order === 'CRD' ? b.reshape(nchw, [1, 2, r, r, 4, 4]) : b.reshape(nchw, [1, r, r, 2, 4, 4]);
  const perm = order === 'CRD' ? [0, 1, 4, 2, 5, 3] : [0, 3, 4, 1, 5, 2];
  const moved = b.transpose(six, perm);
  const four = b.reshape(moved, [1, 2, 8, 8]);
  const nhwc = b.transpose(four, [0, 2, 3, 1]);
  b.output(b.unary('TANH', nhwc));
  return b.graph;
}

describe('depth-to-space-from-shuffle', () => {
  it('pixel_shuffle (CRD) after a conv → DEPTH_TO_SPACE with the conv output channels reordered; LiteRT agrees; fully delegated', async () => {
    const g = shuffleGraph('CRD', true);
    expect(fully(g)).toBe(false);
    const after = apply(g, [depthToSpaceFromShuffle]);
    expect(opCounts(after)).toEqual({ CONV_2D: 1, DEPTH_TO_SPACE: 1, TANH: 1 });
    expect(after.nodes.find((n) => n.op === 'DEPTH_TO_SPACE')!.attrs.blockSize).toBe(2);
    expect(fully(after)).toBe(true);
    await expectSameInLiteRt(g, after, 3, 1e-5);
  });

  it('DCR order (ONNX DepthToSpace default) needs no reordering, also straight from a graph input', async () => {
    const g = shuffleGraph('DCR', false);
    const after = apply(g, [depthToSpaceFromShuffle]);
    expect(opCounts(after)).toEqual({ DEPTH_TO_SPACE: 1, TANH: 1 });
    expect(fully(after)).toBe(true);
    await expectSameInLiteRt(g, after, 4, 1e-5);
  });

  it('declines CRD without a conv to absorb the channel order, and a chain that is no DEPTH_TO_SPACE', () => {
    const crd = apply(shuffleGraph('CRD', false), [depthToSpaceFromShuffle]);
    expect(opCounts(crd).DEPTH_TO_SPACE ?? 0).toBe(0);
    const b = new IrBuilder(5);
    const x = b.input('x', [1, 4, 4, 8]);
    const t = b.transpose(b.reshape(x, [1, 4, 4, 2, 4]), [0, 1, 2, 4, 3]);
    b.output(b.reshape(t, [1, 4, 4, 8]));
    const r = depthToSpaceFromShuffle.run(cloneGraph(b.graph));
    expect(r.status).toBe('declined');
    expect(r.declines![0]).toMatch(/does not move elements like DEPTH_TO_SPACE/);
  });
});

describe('squeeze-to-reshape', () => {
  it('EXPAND_DIMS and SQUEEZE become RESHAPE; LiteRT agrees; fully delegated', async () => {
    const b = new IrBuilder(6);
    const x = b.input('x', [1, 16, 8]);
    const e = b.op('EXPAND_DIMS', [x, b.ints([1])], [1, 1, 16, 8]);
    const s = b.unary('LOGISTIC', e);
    b.output(b.op('SQUEEZE', [s], [1, 16, 8], { squeezeDims: [1] }));
    expect(fully(b.graph)).toBe(false);
    const after = apply(b.graph, [squeezeToReshape]);
    expect(opCounts(after)).toEqual({ RESHAPE: 2, LOGISTIC: 1 });
    expect(fully(after)).toBe(true);
    await expectSameInLiteRt(b.graph, after, 6, 1e-5);
  });
});

describe('lower-rank-elementwise + merge-reshapes', () => {
  it('lowRankView drops size-1 axes, then merges leading axes', () => {
    expect(lowRankView([1, 2, 4, 1, 4, 4])).toEqual([2, 4, 4, 4]);
    expect(lowRankView([2, 3, 4, 5, 6])).toEqual([6, 4, 5, 6]);
    expect(lowRankView([1, 1, 1, 1, 1])).toEqual([1]);
  });

  it('5-D LOGISTIC and MUL-by-scalar between reshapes run 4-D; no 5-D tensor left; LiteRT agrees; fully delegated', async () => {
    const b = new IrBuilder(7);
    const x = b.input('x', [1, 8, 4, 4]);
    const r5 = b.reshape(b.unary('RELU', x), [1, 2, 4, 4, 4]);
    const s = b.unary('LOGISTIC', r5);
    const m = b.op('MUL', [s, b.const(undefined, [1, 1, 1, 1, 1], [0.5])], [1, 2, 4, 4, 4], { activation: 'NONE' });
    b.output(b.reshape(m, [1, 8, 4, 4]));
    expect(fully(b.graph)).toBe(false);
    const after = apply(b.graph, [lowerRankElementwise, mergeReshapes, removeIdentity]);
    expect([...after.tensors.values()].filter((t) => t.shape.length > 4 && after.nodes.some((n) => n.inputs.includes(t.name) || n.outputs.includes(t.name)))).toEqual([]);
    expect(fully(after)).toBe(true);
    await expectSameInLiteRt(b.graph, after, 7, 1e-5);
  });

  it('a 5-D ADD of a constant broadcast along one axis (the Swin shifted-window mask) runs on a 4-D view keeping that axis apart', async () => {
    const b = new IrBuilder(8);
    const x = b.input('x', [4, 3, 5, 5]);
    const r5 = b.reshape(b.unary('RELU', x), [1, 4, 3, 5, 5]);
    const m = b.op('ADD', [r5, b.const(undefined, [1, 4, 1, 5, 5])], [1, 4, 3, 5, 5], { activation: 'NONE' });
    b.output(b.reshape(m, [4, 3, 5, 5]));
    expect(fully(b.graph)).toBe(false);
    const after = apply(b.graph, [lowerRankElementwise, mergeReshapes, removeIdentity]);
    const add = after.nodes.find((n) => n.op === 'ADD')!;
    expect(add.inputs.map((i) => after.tensor(i).shape)).toEqual([[1, 4, 3, 25], [1, 4, 1, 25]]);
    expect(fully(after)).toBe(true);
    await expectSameInLiteRt(b.graph, after, 8, 1e-5);
  });

  it('broadcastView keeps broadcast and full axes apart; declines what needs more than 4 groups, and a runtime operand that broadcasts', () => {
    expect(broadcastView([1, 64, 3, 49, 49], [[1, 64, 1, 49, 49]])).toEqual([[], [1], [2], [3, 4]]);
    expect(broadcastView([2, 3, 4, 5, 6], [[2, 1, 4, 1, 6]])).toBeUndefined();
    const b = new IrBuilder(18);
    const r5 = b.reshape(b.input('x', [1, 8, 4, 4]), [1, 2, 4, 4, 4]);
    const y5 = b.reshape(b.input('y', [1, 2, 1, 1, 1]), [1, 2, 1, 1, 1]);
    const m = b.op('MUL', [r5, y5], [1, 2, 4, 4, 4], { activation: 'NONE' });
    b.output(b.reshape(m, [1, 8, 4, 4]));
    const r = lowerRankElementwise.run(cloneGraph(b.graph));
    expect(r.status).toBe('declined');
    expect(r.declines![0]).toMatch(/runtime operand .* broadcasts/);
  });
});

describe('fold-broadcast-to', () => {
  it('ADD reads the un-broadcast tensor; the BROADCAST_TO goes; LiteRT agrees; fully delegated', async () => {
    const b = new IrBuilder(9);
    const x = b.input('x', [1, 4, 4, 8]);
    const c = b.input('c', [1, 1, 1, 8]);
    const bt = b.op('BROADCAST_TO', [c, b.ints([1, 4, 4, 8])], [1, 4, 4, 8]);
    b.output(b.binary('ADD', x, bt));
    expect(fully(b.graph)).toBe(false);
    const after = apply(b.graph, [foldBroadcastTo]);
    expect(opCounts(after)).toEqual({ ADD: 1 });
    expect(fully(after)).toBe(true);
    await expectSameInLiteRt(b.graph, after, 9, 1e-5);
  });

  it('keeps a BROADCAST_TO whose reader needs the broadcast shape', () => {
    const b = new IrBuilder(10);
    const c = b.input('c', [1, 1, 1, 8]);
    const bt = b.op('BROADCAST_TO', [c, b.ints([1, 4, 4, 8])], [1, 4, 4, 8]);
    b.output(b.unary('RELU', bt));
    const r = foldBroadcastTo.run(cloneGraph(b.graph));
    expect(r.status).toBe('declined');
  });
});

describe('align-broadcast-ranks', () => {
  it('BatchNorm on [N,C,L] (MUL / ADD with [C,1] constants) gets [1,C,1] constants; LiteRT agrees; fully delegated', async () => {
    const b = new IrBuilder(14);
    const x = b.input('x', [1, 8, 16]);
    const m = b.op('MUL', [x, b.const(undefined, [8, 1])], [1, 8, 16], { activation: 'NONE' });
    b.output(b.op('ADD', [m, b.const(undefined, [8, 1])], [1, 8, 16], { activation: 'NONE' }));
    expect(fully(b.graph)).toBe(false);
    const after = apply(b.graph, [alignBroadcastRanks]);
    for (const n of after.nodes) expect(n.inputs.map((i) => after.tensor(i).shape.length)).toEqual([3, 3]);
    expect(fully(after)).toBe(true);
    await expectSameInLiteRt(b.graph, after, 14, 1e-5);
  });

  it('a runtime [H·W… ] operand of lower rank gets a RESHAPE; the delegate exceptions (4-D vs [b,c]) are left alone', async () => {
    const b = new IrBuilder(15);
    const x = b.input('x', [1, 4, 4, 8]);
    const y = b.input('y', [4, 8]);
    const z = b.input('z', [1, 8]);
    b.output(b.binary('MUL', b.binary('ADD', x, y), z));
    const after = apply(b.graph, [alignBroadcastRanks]);
    expect(opCounts(after)).toEqual({ RESHAPE: 1, ADD: 1, MUL: 1 });
    expect(fully(after)).toBe(true);
    await expectSameInLiteRt(b.graph, after, 15, 1e-5);
  });
});
