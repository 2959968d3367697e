import { describe, expect, it } from 'vitest';
import { isMaiError } from '../../../src/core/errors.js';
import { importOnnx } from '../../../src/convert/onnx/import.js';
import { OnnxGraphBuilder, normalFloat32, type AttrValue } from '../../helpers/onnx-builder.js';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { expectMatchesOrt, opHistogram } from './harness.js';

type Case = { name: string; c: number; m: number; k: [number, number]; group?: number; bias?: boolean; attrs: Record<string, AttrValue>; hw?: [number, number]; ops?: Record<string, number> };

const T = 'TRANSPOSE_CONV';
const CASES: Case[] = [
  // strides 1 / 2 / 3 with explicit pads
  { name: 'k3 s1 pads 1 (SAME)', c: 3, m: 4, k: [3, 3], attrs: { pads: [1, 1, 1, 1] }, ops: { [T]: 1 } },
  { name: 'k3 s1 no pads (VALID)', c: 3, m: 4, k: [3, 3], attrs: {}, ops: { [T]: 1 } },
  { name: 'k4 s2 pads 1 (SAME, the PyTorch ×2 upsampler)', c: 4, m: 3, k: [4, 4], attrs: { strides: [2, 2], pads: [1, 1, 1, 1] }, hw: [6, 8], ops: { [T]: 1 } },
  { name: 'k2 s2 no pads', c: 4, m: 5, k: [2, 2], attrs: { strides: [2, 2] }, ops: { [T]: 1 } },
  { name: 'k3 s2 pads 1 output_padding 1', c: 3, m: 4, k: [3, 3], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] }, ops: { [T]: 1, SLICE: 1 } },
  { name: 'k3 s2 pads 1 (odd output, cropped)', c: 3, m: 4, k: [3, 3], attrs: { strides: [2, 2], pads: [1, 1, 1, 1] }, ops: { [T]: 1, SLICE: 1 } },
  { name: 'k3 s3 pads 0,1,2,1', c: 2, m: 3, k: [3, 3], attrs: { strides: [3, 3], pads: [0, 1, 2, 1] } },
  { name: 'k4 s3 asymmetric strides 3,2 pads 2,1,0,3', c: 2, m: 3, k: [4, 4], attrs: { strides: [3, 2], pads: [2, 1, 0, 3] } },
  { name: 'k1 s2 output_padding 1 (zeros + bias past the natural output)', c: 3, m: 2, k: [1, 1], attrs: { strides: [2, 2], output_padding: [1, 1] }, ops: { [T]: 1, PAD: 1, ADD: 1 } },
  { name: 'k2 s3 output_padding 2,1 pads 1', c: 3, m: 2, k: [2, 2], attrs: { strides: [3, 3], output_padding: [2, 1], pads: [1, 1, 0, 0] } },
  { name: 'k3×2 kernel s2,1', c: 3, m: 4, k: [3, 2], attrs: { strides: [2, 1], pads: [1, 0, 1, 0] } },
  { name: 'k4 s2 pads 1 no bias', c: 4, m: 3, k: [4, 4], bias: false, attrs: { strides: [2, 2], pads: [1, 1, 1, 1] } },
  { name: 'k3 s2 output_padding 1 no bias', c: 3, m: 4, k: [3, 3], bias: false, attrs: { strides: [2, 2], output_padding: [1, 1] } },
  // output_shape and auto_pad
  { name: 'output_shape s2 (pads derived)', c: 3, m: 2, k: [3, 3], attrs: { strides: [2, 2], output_shape: [12, 14] } },
  { name: 'output_shape s3 (odd total padding split)', c: 2, m: 2, k: [3, 3], attrs: { strides: [3, 3], output_shape: [14, 20] } },
  { name: 'auto_pad SAME_UPPER k4 s2', c: 3, m: 4, k: [4, 4], attrs: { strides: [2, 2], auto_pad: 'SAME_UPPER' }, hw: [6, 8] },
  { name: 'auto_pad SAME_UPPER k3 s2 (odd total)', c: 3, m: 4, k: [3, 3], attrs: { strides: [2, 2], auto_pad: 'SAME_UPPER' } },
  { name: 'auto_pad SAME_LOWER k3 s2 (odd total)', c: 3, m: 4, k: [3, 3], attrs: { strides: [2, 2], auto_pad: 'SAME_LOWER' } },
  { name: 'auto_pad VALID k3 s2', c: 3, m: 4, k: [3, 3], attrs: { strides: [2, 2], auto_pad: 'VALID' } },
  // dilation and groups
  { name: 'dilation 2 k3 s1 pads 2', c: 3, m: 4, k: [3, 3], attrs: { dilations: [2, 2], pads: [2, 2, 2, 2] } },
  { name: 'dilation 2,3 k2 s2', c: 2, m: 3, k: [2, 2], attrs: { dilations: [2, 3], strides: [2, 2], pads: [1, 0, 0, 1] } },
  { name: 'group 2 k3 s2 pads 1 output_padding 1', c: 4, m: 6, k: [3, 3], group: 2, attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1] } },
  { name: 'depthwise deconv group=C k4 s2 pads 1', c: 5, m: 5, k: [4, 4], group: 5, attrs: { strides: [2, 2], pads: [1, 1, 1, 1] }, hw: [6, 4], ops: { [T]: 1 } },
  { name: 'depthwise deconv group=C odd input (VALID + SLICE: TFLite SAME differs on the GPU)', c: 3, m: 3, k: [4, 4], group: 3, attrs: { strides: [2, 2], pads: [1, 1, 1, 1] }, ops: { [T]: 1, SLICE: 1 } },
];

function model(cs: Case, opset = 13): Uint8Array {
  const [h, w] = cs.hw ?? [5, 7];
  const group = cs.group ?? 1;
  const b = new OnnxGraphBuilder({ opset });
  const x = b.input('x', [1, cs.c, h, w]);
  const wt = b.init('w', [cs.c, cs.m / group, ...cs.k], normalFloat32(cs.c * (cs.m / group) * cs.k[0] * cs.k[1], 3));
  const inputs = [x, wt];
  if (cs.bias !== false) inputs.push(b.init('b', [cs.m], normalFloat32(cs.m, 4)));
  b.output(b.node('ConvTranspose', inputs, { ...cs.attrs, group, kernel_shape: cs.k }, 'y'));
  return b.build();
}

describe('ONNX ConvTranspose → TRANSPOSE_CONV vs onnxruntime', () => {
  for (const cs of CASES) {
    for (const keepIoLayout of [false, true]) {
      it(`${cs.name}${keepIoLayout ? ' (NCHW I/O)' : ''}`, async () => {
        const { graph } = await expectMatchesOrt(model(cs), { keepIoLayout });
        expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
        const h = opHistogram(graph);
        expect(h[T]).toBe(1);
        if (!keepIoLayout) {
          expect(h.TRANSPOSE ?? 0).toBe(0);
          if (cs.ops) expect(h).toEqual(cs.ops);
        }
      });
    }
  }

  it('1-D ConvTranspose k3 s2 pads 1 output_padding 1 → [N,C,1,L] 2-D', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 9]);
    const w = b.init('w', [3, 2, 3], normalFloat32(18, 1));
    b.output(b.node('ConvTranspose', [x, w, b.init('b', [2], normalFloat32(2, 2))], { strides: [2], pads: [1, 1], output_padding: [1] }, 'y'));
    const { graph } = await expectMatchesOrt(b.build());
    expect(checkGpuCompat(graph).unsupportedLines, 'GPU delegate rules').toEqual([]);
    expect(opHistogram(graph)[T]).toBe(1);
  });

  it('rejects runtime weights with the node name and the reason', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const x = b.input('x', [1, 3, 5, 5]);
    const w = b.input('w', [3, 2, 3, 3]);
    b.output(b.node('ConvTranspose', [x, w], { strides: [2, 2] }, 'y'));
    try {
      importOnnx(b.build());
      expect.unreachable();
    } catch (e) {
      expect(isMaiError(e)).toBe(true);
      const msg = `${(e as Error).message} ${JSON.stringify((e as { diagnostics?: unknown }).diagnostics)}`;
      expect(msg).toMatch(/ConvTranspose_node_0/);
      expect(msg).toMatch(/weights \(input 'w'\) must be a constant/);
    }
  });
});
