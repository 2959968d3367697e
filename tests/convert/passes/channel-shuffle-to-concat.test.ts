/**
 * channel-shuffle-to-concat end to end: ShuffleNet units as PyTorch exports them (Concat / Conv →
 * Reshape 5-D → Transpose → Reshape → Slice halves) convert with no TRANSPOSE and no tensor above
 * rank 4, fully delegated by the kirin9000 rules, and match onnxruntime on the source model.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/convert/index.js';
import { checkConversion } from '../../../src/convert/check.js';
import { gpuVerdict } from '../../../src/convert/gpu/verdict.js';
import { resolveTarget } from '../../../src/convert/gpu/targets.js';
import { channelShuffleOf, channelShuffleToConcat } from '../../../src/convert/passes/channel-shuffle-to-concat.js';
import { DEFAULT_PIPELINE } from '../../../src/convert/passes/registry.js';
import { buildOnnxModel, normalFloat32 } from '../../helpers/onnx-builder.js';

const i64 = (v: number[]) => BigInt64Array.from(v.map(BigInt));

/**
 * x [1,12,6,6] → `branches` 1×1 Convs concatenated (or one Conv when 1) → channel shuffle in
 * `groups` (Reshape [1,g,12/g,6,6] → Transpose `perm` → Reshape [1,12,6,6]) → the two halves:
 * one through a Conv, both concatenated, sigmoid.
 */
function shuffleUnit(groups: number, branches: number, perm = [0, 2, 1, 3, 4]): Uint8Array {
  const c = 12;
  const per = c / branches;
  const inits = [
    { name: 's5', shape: [5], dtype: 'int64' as const, data: i64([1, groups, c / groups, 6, 6]) },
    { name: 's4', shape: [4], dtype: 'int64' as const, data: i64([1, c, 6, 6]) },
    { name: 'starts0', shape: [1], dtype: 'int64' as const, data: i64([0]) },
    { name: 'ends0', shape: [1], dtype: 'int64' as const, data: i64([c / 2]) },
    { name: 'ends1', shape: [1], dtype: 'int64' as const, data: i64([c]) },
    { name: 'axis1', shape: [1], dtype: 'int64' as const, data: i64([1]) },
    { name: 'wh', shape: [c / 2, c / 2, 1, 1], data: normalFloat32((c * c) / 4, 9, 0.4) },
    ...Array.from({ length: branches }, (_, i) => ({ name: `w${i}`, shape: [per, c, 1, 1], data: normalFloat32(per * c, 10 + i, 0.4) })),
  ];
  const convs = Array.from({ length: branches }, (_, i) => ({ op: 'Conv', inputs: ['x', `w${i}`], outputs: [`b${i}`] }));
  return buildOnnxModel({
    opset: 13,
    inputs: [{ name: 'x', shape: [1, c, 6, 6] }],
    outputs: [{ name: 'y', shape: [1, c, 6, 6] }],
    initializers: inits,
    nodes: [
      ...convs,
      ...(branches > 1 ? [{ op: 'Concat', inputs: convs.map((n) => n.outputs[0]!), outputs: ['cat'], attrs: { axis: 1 } }] : [{ op: 'Relu', inputs: ['b0'], outputs: ['cat'] }]),
      { op: 'Reshape', inputs: ['cat', 's5'], outputs: ['r5'] },
      { op: 'Transpose', inputs: ['r5'], outputs: ['t5'], attrs: { perm } },
      { op: 'Reshape', inputs: ['t5', 's4'], outputs: ['shuffled'] },
      { op: 'Slice', inputs: ['shuffled', 'starts0', 'ends0', 'axis1'], outputs: ['h0'] },
      { op: 'Slice', inputs: ['shuffled', 'ends0', 'ends1', 'axis1'], outputs: ['h1'] },
      { op: 'Conv', inputs: ['h1', 'wh'], outputs: ['h1c'] },
      { op: 'Concat', inputs: ['h0', 'h1c'], outputs: ['out'], attrs: { axis: 1 } },
      { op: 'Sigmoid', inputs: ['out'], outputs: ['y'] },
    ],
  });
}

describe('channel-shuffle-to-concat', () => {
  for (const groups of [2, 3]) {
    it(`${groups} groups after a Concat of ${groups}: no TRANSPOSE, nothing above rank 4, fewer nodes, fully delegated, matches onnxruntime`, async () => {
      const bytes = shuffleUnit(groups, groups);
      const { graph, tflite, passes } = convert({ bytes });
      const report = passes.find((p) => p.id === 'channel-shuffle-to-concat')!;
      expect(report.stats?.replaced, report.message).toBe(1);
      expect(graph.nodes.filter((n) => n.op === 'TRANSPOSE')).toEqual([]);
      expect(graph.nodes.filter((n) => n.inputs.concat(n.outputs).some((t) => t && graph.tensor(t).shape.length > 4))).toEqual([]);
      expect(graph.nodes.length).toBeLessThan(convert({ bytes, passes: DEFAULT_PIPELINE.filter((p) => p.id !== 'channel-shuffle-to-concat') }).graph.nodes.length);
      expect(gpuVerdict(graph, resolveTarget('kirin9000').options).cpuOps).toEqual([]);
      const check = await checkConversion(bytes, tflite, graph);
      expect(check.pass, JSON.stringify(check.outputs)).toBe(true);
    });
  }

  it('declines a shuffle of a tensor no CONCATENATION of its groups made (a SLICE per group costs more than the TRANSPOSE)', async () => {
    const bytes = shuffleUnit(4, 1);
    const { graph, tflite, passes } = convert({ bytes });
    const report = passes.find((p) => p.id === 'channel-shuffle-to-concat')!;
    expect(report.status).toBe('declined');
    expect(report.declines?.join()).toMatch(/is not made by a CONCATENATION of its 4 groups along axis 3/);
    expect(graph.nodes.filter((n) => n.op === 'TRANSPOSE').length).toBeGreaterThan(0);
    expect((await checkConversion(bytes, tflite, graph)).pass).toBe(true);
  });

  it('leaves a rank-5 transpose that is not a group shuffle (here H and W swapped inside each group) alone', async () => {
    const bytes = shuffleUnit(2, 2, [0, 1, 2, 4, 3]);
    const { passes, graph, tflite } = convert({ bytes });
    expect(passes.find((p) => p.id === 'channel-shuffle-to-concat')?.status).toBe('skipped');
    expect((await checkConversion(bytes, tflite, graph)).pass).toBe(true);
  });

  it('channelShuffleOf reads the groups and the layout change off an index map', () => {
    // y [1,6,2,2] (NCHW) = TRANSPOSE(0,3,1,2) of x [1,2,2,6] (NHWC) shuffled in 2 groups along axis 3
    const xs = [1, 2, 2, 6];
    const map = new Int32Array(24);
    let o = 0;
    for (let ch = 0; ch < 6; ch++) for (let h = 0; h < 2; h++) for (let w = 0; w < 2; w++) map[o++] = (h * 2 + w) * 6 + (ch % 2) * 3 + Math.floor(ch / 2);
    expect(channelShuffleOf(xs, [1, 6, 2, 2], map)).toEqual({ perm: [0, 3, 1, 2], axis: 3, groups: 2 });
    // the identity is not a shuffle
    expect(channelShuffleOf(xs, xs, Int32Array.from({ length: 24 }, (_, i) => i))).toBeUndefined();
    expect(channelShuffleToConcat.phase).toBe('layout');
  });
});
