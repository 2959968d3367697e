/**
 * 3-D ConvTranspose (NCDHW) → TRANSPOSE + CONV_3D_TRANSPOSE (VALID, natural size) + SLICE / PAD + ADD
 * + TRANSPOSE, against onnxruntime at 1e-4 of the output range: strides, pads, dilations,
 * output_padding, output_shape, auto_pad, groups, no bias, and 20 seeded random configurations. CONV_3D_TRANSPOSE is CPU-only and the
 * GPU table says so.
 */
import { describe, expect, it } from 'vitest';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { OnnxGraphBuilder, normalFloat32, seededRandom, type AttrValue } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection, opHistogram } from './harness.js';

interface Case {
  name: string;
  c: number;
  m: number;
  k: [number, number, number];
  group?: number;
  bias?: boolean;
  attrs: Record<string, AttrValue>;
  ops?: Record<string, number>;
}

const CASES: Case[] = [
  { name: 'k3 s1 no pads', c: 2, m: 3, k: [3, 3, 3], attrs: {}, ops: { SLICE: 0, PAD: 0 } },
  { name: 'k3 s2 pads 1 (cropped)', c: 3, m: 2, k: [3, 3, 3], attrs: { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] }, ops: { SLICE: 1, PAD: 0 } },
  { name: 'k2,3,4 s3,2,1 asymmetric pads', c: 2, m: 4, k: [2, 3, 4], attrs: { strides: [3, 2, 1], pads: [0, 1, 2, 1, 2, 0] } },
  { name: 'k1 s2 output_padding 1 (zeros + bias past the natural output)', c: 3, m: 2, k: [1, 1, 1], attrs: { strides: [2, 2, 2], output_padding: [1, 1, 1] }, ops: { PAD: 1, ADD: 1 } },
  { name: 'k3 s2 pads 1 output_padding 1,0,1', c: 2, m: 3, k: [3, 3, 3], attrs: { strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1], output_padding: [1, 0, 1] } },
  { name: 'dilations 2,1,3', c: 2, m: 2, k: [2, 3, 2], attrs: { dilations: [2, 1, 3], strides: [1, 2, 2], pads: [1, 0, 0, 0, 1, 1] } },
  { name: 'output_shape (pads derived, odd split)', c: 2, m: 3, k: [3, 3, 3], attrs: { strides: [2, 3, 2], output_shape: [8, 14, 6] } },
  { name: 'auto_pad SAME_UPPER s2', c: 2, m: 3, k: [3, 4, 3], attrs: { strides: [2, 2, 2], auto_pad: 'SAME_UPPER' } },
  { name: 'auto_pad SAME_LOWER s2', c: 2, m: 3, k: [3, 4, 3], attrs: { strides: [2, 2, 2], auto_pad: 'SAME_LOWER' } },
  { name: 'group 2, no bias', c: 4, m: 6, k: [2, 2, 2], group: 2, bias: false, attrs: { strides: [2, 2, 2] } },
  { name: 'depthwise group=C, output_padding, no bias', c: 3, m: 3, k: [3, 3, 3], group: 3, bias: false, attrs: { strides: [2, 2, 2], output_padding: [1, 1, 1] } },
];

/** Seeded random configurations: kernels 1–3, strides 1–3, dilations 1–2, pads, output_padding, groups. */
function randomCases(count: number, seed: number): Case[] {
  const r = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const out: Case[] = [];
  while (out.length < count) {
    const group = int(1, 2);
    const c = group * int(1, 2);
    const m = group * int(1, 2);
    const k = [int(1, 3), int(1, 3), int(1, 3)] as [number, number, number];
    const strides = [0, 1, 2].map(() => int(1, 3));
    const dilations = [0, 1, 2].map(() => int(1, 2));
    const pads = [...k, ...k].map((kk) => int(0, kk - 1));
    // below the stride: onnxruntime refuses output_padding ≥ stride even where the spec allows it (< dilation)
    const outputPadding = strides.map((s) => int(0, s - 1));
    const attrs: Record<string, AttrValue> = { strides, dilations, pads, output_padding: outputPadding };
    const desc = Object.entries(attrs).map(([key, v]) => `${key}=${String(v)}`).join(' ');
    out.push({ name: `random ${out.length}: c ${c} m ${m} group ${group} k ${k} ${desc}`, c, m, k, group, bias: r() < 0.7, attrs });
  }
  return out;
}

function model(t: Case): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const g = t.group ?? 1;
  const x = b.input('x', [2, t.c, 4, 5, 3]);
  const w = b.init('w', [t.c, t.m / g, ...t.k], normalFloat32(t.c * (t.m / g) * t.k[0] * t.k[1] * t.k[2], 5));
  const inputs = [x, w];
  if (t.bias !== false) inputs.push(b.init('b', [t.m], normalFloat32(t.m, 6)));
  b.output(b.node('ConvTranspose', inputs, { ...t.attrs, kernel_shape: t.k, ...(g > 1 ? { group: g } : {}) }, 'y'));
  return b.build();
}

describe('3-D ConvTranspose → CONV_3D_TRANSPOSE vs onnxruntime', () => {
  for (const t of [...CASES, ...randomCases(20, 9)]) {
    it(t.name, async () => {
      const { graph } = await expectMatchesOrt(model(t));
      const h = opHistogram(graph);
      expect(h.CONV_3D_TRANSPOSE).toBe(1);
      for (const [op, count] of Object.entries(t.ops ?? {})) expect(h[op] ?? 0, op).toBe(count);
      const gpu = checkGpuCompat(graph);
      expect(gpu.nodes.find((n) => n.op === 'CONV_3D_TRANSPOSE')!.supported).toBe(false);
    });
  }

  it('refuses an output_padding not below the stride, naming the attribute', () => {
    const e = importRejection(model({ name: '', c: 2, m: 2, k: [3, 3, 3], attrs: { strides: [2, 2, 2], output_padding: [0, 2, 0] } }));
    expect(JSON.stringify(e.diagnostics)).toMatch(/output_padding \[0,2,0\] must be ≥ 0 and smaller than the stride or dilation/);
  });

  it('refuses an output_shape with fewer values than spatial axes, naming it (was an internal error: an undefined output dim)', () => {
    const e = importRejection(model({ name: '', c: 2, m: 2, k: [2, 2, 2], attrs: { output_shape: [5, 5] } }));
    expect(e.exit).toBe(2);
    expect(e.diagnostics.map((d) => `${d.reason}: ${d.message}`)).toEqual(['unsupported-attribute: output_shape [5,5] has 2 values; a 3-D ConvTranspose needs its 3 spatial sizes']);
  });
});
