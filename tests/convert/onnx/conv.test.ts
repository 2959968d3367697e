import { describe, expect, it } from 'vitest';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection, opHistogram } from './harness.js';
import { readTflite } from '../../../src/tflite/reader.js';
import { writeTflite } from '../../../src/tflite/writer.js';

type ConvCase = { name: string; c: number; m: number; k: [number, number]; group?: number; attrs: Record<string, number[] | string | number>; hw?: [number, number] };

const CASES: ConvCase[] = [
  { name: '3x3 pads 1 (SAME)', c: 3, m: 4, k: [3, 3], attrs: { pads: [1, 1, 1, 1] } },
  { name: '3x3 no pads (VALID)', c: 3, m: 4, k: [3, 3], attrs: {} },
  { name: '3x3 stride 2 pads 1 (explicit: SAME split differs)', c: 3, m: 5, k: [3, 3], attrs: { pads: [1, 1, 1, 1], strides: [2, 2] } },
  { name: '3x3 stride 2 pads 0,0,1,1 (SAME split)', c: 3, m: 5, k: [3, 3], attrs: { pads: [0, 0, 1, 1], strides: [2, 2] } },
  { name: 'asymmetric pads 2,0,1,3', c: 2, m: 3, k: [3, 3], attrs: { pads: [2, 0, 1, 3] } },
  { name: 'dilation 2 pads 2', c: 3, m: 4, k: [3, 3], attrs: { pads: [2, 2, 2, 2], dilations: [2, 2] } },
  { name: 'auto_pad SAME_UPPER stride 2', c: 3, m: 4, k: [3, 3], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] } },
  { name: 'auto_pad SAME_LOWER stride 2', c: 3, m: 4, k: [4, 4], attrs: { auto_pad: 'SAME_LOWER', strides: [2, 2] } },
  { name: 'auto_pad VALID 5x3 kernel stride 1,2', c: 3, m: 4, k: [5, 3], attrs: { auto_pad: 'VALID', strides: [1, 2] } },
  { name: '1x1 pointwise', c: 8, m: 6, k: [1, 1], attrs: {} },
  { name: 'depthwise 3x3 pads 1', c: 6, m: 6, k: [3, 3], group: 6, attrs: { pads: [1, 1, 1, 1] } },
  { name: 'depthwise multiplier 2 stride 2', c: 4, m: 8, k: [3, 3], group: 4, attrs: { pads: [1, 1, 1, 1], strides: [2, 2] } },
  { name: 'depthwise dilation 2 asymmetric pads', c: 4, m: 4, k: [3, 3], group: 4, attrs: { pads: [1, 2, 3, 0], dilations: [2, 2] } },
];

describe('ONNX Conv → CONV_2D / DEPTHWISE_CONV_2D vs onnxruntime', () => {
  for (const cs of CASES) {
    it(cs.name, async () => {
      const [h, w] = cs.hw ?? [9, 10];
      const b = new OnnxGraphBuilder({ opset: 13 });
      const x = b.input('x', [1, cs.c, h, w]);
      const group = cs.group ?? 1;
      const wt = b.init('w', [cs.m, cs.c / group, ...cs.k], normalFloat32(cs.m * (cs.c / group) * cs.k[0] * cs.k[1], 3));
      const bias = b.init('b', [cs.m], normalFloat32(cs.m, 4));
      const y = b.node('Conv', [x, wt, bias], { ...cs.attrs, group, kernel_shape: cs.k }, 'y');
      b.output(y);
      const { graph } = await expectMatchesOrt(b.build());
      const h2 = opHistogram(graph);
      expect(h2.TRANSPOSE ?? 0).toBe(0);
      expect(h2[group > 1 ? 'DEPTHWISE_CONV_2D' : 'CONV_2D']).toBe(1);
    });
  }

  const groupedModel = (c: number, m: number, group: number) => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, c, 7, 8]);
    const wt = b.init('w', [m, c / group, 3, 3], normalFloat32(m * (c / group) * 9, 5));
    b.output(b.node('Conv', [x, wt, b.init('b', [m], normalFloat32(m, 6))], { group, pads: [1, 1, 1, 1], strides: [2, 1] }, 'y'));
    return b.build();
  };
  // a group size (C/group or M/group) that is not a multiple of 4: the GPU delegate refuses a grouped CONV_2D
  for (const [c, m, group] of [[4, 4, 2], [6, 9, 3], [8, 4, 4], [8, 4, 2], [16, 8, 4]] as const) {
    it(`grouped conv C=${c} M=${m} group=${group} (group sizes ${c / group}, ${m / group}) → SPLIT + ${group}×CONV_2D + CONCATENATION`, async () => {
      const { graph } = await expectMatchesOrt(groupedModel(c, m, group));
      expect(opHistogram(graph)).toEqual({ SPLIT: 1, CONV_2D: group, CONCATENATION: 1 });
    });
  }
  for (const [c, m, group] of [[8, 8, 2], [32, 16, 4], [16, 32, 2], [24, 48, 3]] as const) {
    it(`grouped conv C=${c} M=${m} group=${group} (group sizes ${c / group}, ${m / group}) → one grouped CONV_2D, op version 6`, async () => {
      const { graph } = await expectMatchesOrt(groupedModel(c, m, group));
      expect(opHistogram(graph)).toEqual({ CONV_2D: 1 });
      expect(graph.tensor(graph.nodes[0]!.inputs[1]!).shape).toEqual([m, 3, 3, c / group]);
      expect(readTflite(writeTflite(graph)).nodes.map((n) => [n.op, n.version])).toEqual([['CONV_2D', 6]]);
    });
  }
  const oneD: Array<[string, Record<string, number[] | number | string>, number]> = [
    ['1-D Conv k3 pads 1', { pads: [1, 1] }, 1],
    ['1-D Conv k3 stride 2 dilation 2 asymmetric pads', { pads: [2, 1], strides: [2], dilations: [2] }, 1],
    ['1-D Conv depthwise auto_pad SAME_UPPER', { auto_pad: 'SAME_UPPER', group: 4 }, 4],
  ];
  for (const [name, attrs, group] of oneD) {
    it(`${name} → [N,C,1,L] 2-D conv`, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const x = b.input('x', [1, 4, 11]);
      b.output(b.node('Conv', [x, b.init('w', [4, 4 / group, 3], normalFloat32(48 / group, 1)), b.init('b', [4], normalFloat32(4, 2))], attrs, 'y'));
      const { graph } = await expectMatchesOrt(b.build());
      expect(opHistogram(graph)[group > 1 ? 'DEPTHWISE_CONV_2D' : 'CONV_2D']).toBe(1);
    });
  }
  it('a window larger than the padded input is refused naming the node (by one row it was an empty output, converted to a .tflite with no ops; by two an internal error)', () => {
    for (const kh of [3, 4]) {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.spec.nodes.push({ op: 'Conv', inputs: [b.input('x', [1, 1, 2, 4]), b.init('w', [1, 1, kh, 1], new Array(kh).fill(1))], outputs: ['y'], name: 'c' });
      b.output('y');
      const e = importRejection(b.build());
      expect(e.exit).toBe(2);
      expect(e.diagnostics.map((d) => `${d.reason}: ${d.message}`)).toEqual([`shape-mismatch: Conv 'c': the ${kh}×1 window (dilations included) is larger than the padded input 2×4 (no output cell)`]);
    }
  });
});
