/**
 * 3-D Conv (NCDHW) → TRANSPOSE + PAD + CONV_3D + TRANSPOSE, against onnxruntime at 1e-4 of the
 * output range: strides, dilations, explicit and SAME pads, groups, no bias. The GPU delegate never
 * takes the rank-5 tensors: checkGpuCompat says so for every op.
 */
import { describe, expect, it } from 'vitest';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { OnnxGraphBuilder, normalFloat32 } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection } from './harness.js';

interface Case {
  name: string;
  c: number;
  m: number;
  k: [number, number, number];
  group?: number;
  bias?: boolean;
  attrs: Record<string, number[] | string>;
}

const CASES: Case[] = [
  { name: 'k3 no pads', c: 2, m: 4, k: [3, 3, 3], attrs: {} },
  { name: 'k3 pads 1, stride 2', c: 3, m: 5, k: [3, 3, 3], attrs: { pads: [1, 1, 1, 1, 1, 1], strides: [2, 2, 2] } },
  { name: 'asymmetric pads, dilation 2 on H', c: 2, m: 3, k: [2, 3, 2], attrs: { pads: [0, 1, 2, 1, 0, 0], dilations: [1, 2, 1] } },
  { name: 'SAME_UPPER stride 2', c: 2, m: 2, k: [3, 3, 3], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2, 2] } },
  { name: 'groups 2, no bias', c: 4, m: 6, k: [1, 3, 3], group: 2, bias: false, attrs: { pads: [0, 1, 1, 0, 1, 1] } },
];

describe('3-D Conv → CONV_3D vs onnxruntime', () => {
  for (const t of CASES) {
    it(t.name, async () => {
      const b = new OnnxGraphBuilder({ opset: 13 });
      const x = b.input('x', [1, t.c, 5, 7, 6]);
      const g = t.group ?? 1;
      const w = b.init('w', [t.m, t.c / g, ...t.k], normalFloat32(t.m * (t.c / g) * t.k[0] * t.k[1] * t.k[2], 7));
      const inputs = [x, w];
      if (t.bias !== false) inputs.push(b.init('b', [t.m], normalFloat32(t.m, 8)));
      b.output(b.node('Conv', inputs, { ...t.attrs, ...(g > 1 ? { group: g } : {}) }, 'y'));
      const { graph } = await expectMatchesOrt(b.build());
      const ops = graph.nodes.map((n) => n.op);
      expect(ops).toContain('CONV_3D');
      const gpu = checkGpuCompat(graph);
      expect(gpu.nodes.find((n) => n.op === 'CONV_3D')!.supported).toBe(false);
    });
  }

  it('refusals name the node: a window larger than the padded input (was an empty output, converted to a .tflite with no ops), pads / strides of the wrong length (were internal errors)', () => {
    const cases: Array<[number[], Record<string, number[]>, string]> = [
      [[1, 1, 3, 1, 1], {}, "shape-mismatch: Conv 'c': the 3×1×1 window (dilations included) is larger than the padded input 2×4×4 (no output cell)"],
      [[1, 1, 2, 1, 1], { dilations: [2, 1, 1] }, "shape-mismatch: Conv 'c': the 3×1×1 window (dilations included) is larger than the padded input 2×4×4 (no output cell)"],
      [[1, 1, 1, 1, 1], { pads: [1, 1, 1, 1] }, 'unsupported-attribute: pads [1,1,1,1] must have 6 values for a 5-D input'],
      [[1, 1, 1, 1, 1], { strides: [1, 1] }, 'unsupported-attribute: strides [1,1] and dilations [1,1,1] must have 3 values for a 5-D input'],
    ];
    for (const [ws, attrs, want] of cases) {
      const b = new OnnxGraphBuilder({ opset: 13 });
      b.spec.nodes.push({ op: 'Conv', inputs: [b.input('x', [1, 1, 2, 4, 4]), b.init('w', ws, new Array(ws.reduce((p, q) => p * q, 1)).fill(1))], outputs: ['y'], name: 'c', attrs });
      b.output('y');
      const e = importRejection(b.build());
      expect(e.exit).toBe(2);
      expect(e.diagnostics.map((d) => `${d.reason}: ${d.message}`)).toEqual([want]);
    }
  });
});
