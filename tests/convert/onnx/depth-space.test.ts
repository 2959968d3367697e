import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

describe('ONNX DepthToSpace / SpaceToDepth / GlobalMaxPool vs onnxruntime', () => {
  for (const keepIoLayout of [false, true]) {
    const io = keepIoLayout ? ' (NCHW I/O)' : '';
    for (const [b, c] of [[2, 8], [3, 18]] as const) {
      it(`DepthToSpace DCR blocksize ${b} → DEPTH_TO_SPACE${io}`, async () => {
        const g = new OnnxGraphBuilder({ opset: 13 });
        g.output(g.node('DepthToSpace', [g.input('x', [1, c, 4, 5])], { blocksize: b, mode: 'DCR' }, 'y'));
        const { graph } = await expectMatchesOrt(g.build(), { keepIoLayout });
        expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
        expect(opHistogram(graph).DEPTH_TO_SPACE).toBe(1);
        if (!keepIoLayout) expect(opHistogram(graph)).toEqual({ DEPTH_TO_SPACE: 1 });
      });
      it(`DepthToSpace CRD blocksize ${b} on a graph input → 1×1 permutation CONV_2D + DEPTH_TO_SPACE${io}`, async () => {
        const g = new OnnxGraphBuilder({ opset: 13 });
        g.output(g.node('DepthToSpace', [g.input('x', [1, c, 4, 5])], { blocksize: b, mode: 'CRD' }, 'y'));
        const { graph } = await expectMatchesOrt(g.build(), { keepIoLayout });
        expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
        expect(opHistogram(graph).DEPTH_TO_SPACE).toBe(1);
        if (!keepIoLayout) expect(opHistogram(graph)).toEqual({ CONV_2D: 1, DEPTH_TO_SPACE: 1 });
      });
      it(`SpaceToDepth blocksize ${b} → SPACE_TO_DEPTH${io}`, async () => {
        const g = new OnnxGraphBuilder({ opset: 13 });
        g.output(g.node('SpaceToDepth', [g.input('x', [1, 3, 2 * b, 3 * b])], { blocksize: b }, 'y'));
        const { graph } = await expectMatchesOrt(g.build(), { keepIoLayout });
        expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
        if (!keepIoLayout) expect(opHistogram(graph)).toEqual({ SPACE_TO_DEPTH: 1 });
      });
    }
    it(`Conv → DepthToSpace CRD (PixelShuffle): the permutation is folded into the conv's weights${io}`, async () => {
      const g = new OnnxGraphBuilder({ opset: 13 });
      const x = g.input('x', [1, 3, 6, 7]);
      const conv = g.node('Conv', [x, g.init('w', [12, 3, 3, 3], normalFloat32(324, 1)), g.init('b', [12], normalFloat32(12, 2))], { pads: [1, 1, 1, 1] });
      g.output(g.node('DepthToSpace', [conv], { blocksize: 2, mode: 'CRD' }, 'y'));
      const { graph } = await expectMatchesOrt(g.build(), { keepIoLayout });
      expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
      const d2s = graph.nodes.find((n) => n.op === 'DEPTH_TO_SPACE')!;
      const producer = graph.nodes.find((n) => n.outputs[0] === d2s.inputs[0])!;
      expect(producer.op).toBe('CONV_2D');
      expect(graph.tensor(producer.inputs[1]!).shape).toEqual([12, 3, 3, 3]); // the model's conv, permuted — no 1×1 conv
    });
    it(`GlobalMaxPool 4-D → whole-image MAX_POOL_2D${io}`, async () => {
      const g = new OnnxGraphBuilder({ opset: 13 });
      g.output(g.node('GlobalMaxPool', [g.input('x', [2, 5, 7, 6])], {}, 'y'));
      const { graph } = await expectMatchesOrt(g.build(), { keepIoLayout });
      expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
      if (!keepIoLayout) expect(opHistogram(graph)).toEqual({ MAX_POOL_2D: 1 });
    });
  }
  for (const [op, shape, attrs] of [
    ['DepthToSpace', [2, 8, 3, 4], { blocksize: 2, mode: 'DCR' }],
    ['DepthToSpace', [3, 18, 2, 3], { blocksize: 3, mode: 'CRD' }],
    ['SpaceToDepth', [2, 3, 4, 6], { blocksize: 2 }],
  ] as const) {
    it(`${op} ${JSON.stringify(attrs)} batch ${shape[0]} → on a [1, N·H, W, C] view (the GPU miscomputes N > 1)`, async () => {
      const g = new OnnxGraphBuilder({ opset: 13 });
      g.output(g.node(op, [g.input('x', [...shape])], { ...attrs }, 'y'));
      const { graph } = await expectMatchesOrt(g.build());
      const node = graph.nodes.find((n) => n.op === (op === 'DepthToSpace' ? 'DEPTH_TO_SPACE' : 'SPACE_TO_DEPTH'))!;
      expect(graph.tensor(node.inputs[0]!).shape[0]).toBe(1);
    });
  }
  it('GlobalMaxPool 3-D → REDUCE_MAX', async () => {
    const g = new OnnxGraphBuilder({ opset: 13 });
    g.output(g.node('GlobalMaxPool', [g.input('x', [2, 5, 9])], {}, 'y'));
    const { graph } = await expectMatchesOrt(g.build());
    expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
    expect(opHistogram(graph)).toEqual({ REDUCE_MAX: 1 });
  });
});
