/**
 * 3-D MaxPool / AveragePool (NCDHW) → an H×W pass and a depth pass of the 2-D lowering, against
 * onnxruntime at 1e-4 of the output range: hand-picked cases (SAME, ceil_mode windows ending in the
 * padding, count_include_pad both ways, dilations) and 40 seeded random configurations (kernels 1–4,
 * strides 1–3, dilations 1–3, pads below the kernel, ceil_mode, count_include_pad). The only rank-5
 * tensors are the graph's own input and output: every op between them (≤ 3 TRANSPOSEs of rank ≤ 3
 * moving the pooled axes) is GPU-delegable by our rule table.
 */
import { describe, expect, it } from 'vitest';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { OnnxGraphBuilder, seededRandom, type AttrValue } from '../../helpers/onnx-builder.js';
import { expectMatchesOrt, importRejection, opHistogram } from './harness.js';

type Op = 'MaxPool' | 'AveragePool';
interface Case {
  name: string;
  op: Op;
  shape: number[];
  attrs: Record<string, AttrValue>;
}

const HAND: Case[] = [
  { name: 'max k2 default', op: 'MaxPool', shape: [1, 3, 5, 6, 7], attrs: { kernel_shape: [2, 2, 2] } },
  { name: 'avg k3 s2 pads 1 count_include_pad 0', op: 'AveragePool', shape: [2, 2, 7, 6, 5], attrs: { kernel_shape: [3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1] } },
  { name: 'avg k3 s2 pads 1 count_include_pad 1', op: 'AveragePool', shape: [2, 2, 7, 6, 5], attrs: { kernel_shape: [3, 3, 3], strides: [2, 2, 2], pads: [1, 1, 1, 1, 1, 1], count_include_pad: 1 } },
  { name: 'avg SAME_UPPER s2 (TFLite SAME on the H×W pass)', op: 'AveragePool', shape: [1, 2, 6, 7, 8], attrs: { kernel_shape: [3, 3, 3], strides: [2, 2, 2], auto_pad: 'SAME_UPPER' } },
  { name: 'max SAME_LOWER k2,3,4', op: 'MaxPool', shape: [1, 2, 6, 7, 8], attrs: { kernel_shape: [2, 3, 4], auto_pad: 'SAME_LOWER' } },
  { name: 'avg ceil_mode, asymmetric pads, count_include_pad 1', op: 'AveragePool', shape: [1, 2, 8, 7, 6], attrs: { kernel_shape: [3, 2, 3], strides: [2, 3, 2], pads: [1, 0, 2, 2, 1, 0], ceil_mode: 1, count_include_pad: 1 } },
  { name: 'avg ceil_mode count_include_pad 0', op: 'AveragePool', shape: [1, 2, 8, 7, 6], attrs: { kernel_shape: [3, 2, 3], strides: [2, 3, 2], pads: [1, 0, 2, 2, 1, 0], ceil_mode: 1 } },
  { name: 'max dilations 2,1,3 strides 1,2,1 pads', op: 'MaxPool', shape: [1, 2, 9, 8, 10], attrs: { kernel_shape: [3, 2, 2], dilations: [2, 1, 3], strides: [1, 2, 1], pads: [2, 1, 0, 1, 0, 1] } },
  { name: 'avg dilations 2 ceil_mode count_include_pad 0', op: 'AveragePool', shape: [1, 1, 9, 9, 9], attrs: { kernel_shape: [2, 2, 2], dilations: [2, 2, 2], strides: [3, 3, 3], pads: [1, 1, 1, 1, 1, 1], ceil_mode: 1 } },
  { name: 'max depth-only window k3,1,1', op: 'MaxPool', shape: [1, 3, 7, 4, 5], attrs: { kernel_shape: [3, 1, 1], strides: [2, 1, 1] } },
  { name: 'avg k1 identity window', op: 'AveragePool', shape: [1, 3, 4, 4, 5], attrs: { kernel_shape: [1, 1, 1] } },
];

/** Seeded random configurations whose output is not empty (ONNX: pads smaller than the kernel). */
function randomCases(count: number, seed: number): Case[] {
  const r = seededRandom(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const out: Case[] = [];
  while (out.length < count) {
    const op: Op = r() < 0.5 ? 'MaxPool' : 'AveragePool';
    const shape = [int(1, 2), int(1, 3), int(3, 9), int(3, 9), int(3, 9)];
    const k = [0, 1, 2].map(() => int(1, 4));
    const s = [0, 1, 2].map(() => int(1, 3));
    const d = [0, 1, 2].map(() => (r() < 0.3 ? int(2, 3) : 1));
    const pads = [...k, ...k].map((kk) => int(0, kk - 1));
    const ceil = r() < 0.5 ? 1 : 0;
    const size = (a: number) => {
      const span = shape[2 + a]! + pads[a]! + pads[a + 3]! - ((k[a]! - 1) * d[a]! + 1);
      return span < 0 ? 0 : Math.floor(span / s[a]!) + 1;
    };
    if ([0, 1, 2].some((a) => size(a) < 1)) continue;
    const attrs: Record<string, AttrValue> = { kernel_shape: k, strides: s, dilations: d, pads, ceil_mode: ceil };
    if (op === 'AveragePool') attrs.count_include_pad = r() < 0.5 ? 1 : 0;
    const desc = Object.entries(attrs).map(([key, v]) => `${key}=${String(v)}`).join(' ');
    out.push({ name: `random ${out.length}: ${op} [${shape}] ${desc}`, op, shape, attrs });
  }
  return out;
}

describe('3-D MaxPool / AveragePool → two 2-D pool passes vs onnxruntime', () => {
  for (const t of [...HAND, ...randomCases(40, 3)]) {
    it(t.name, async () => {
      // AveragePool takes dilations from opset 19
      const b = new OnnxGraphBuilder({ opset: 19 });
      b.output(b.node(t.op, [b.input('x', t.shape)], t.attrs, 'y'));
      const { graph } = await expectMatchesOrt(b.build(), { range: [-3, 3] });
      // the only GPU-rejected nodes are the RESHAPEs of the rank-5 graph input and output
      const rank5 = (t: string) => graph.tensor(t).shape.length === 5;
      const gpu = checkGpuCompat(graph);
      const rejected = gpu.nodes.filter((n) => !n.supported).map((n) => `${n.op}: ${n.violations.map((v) => v.rule).join(', ')}`);
      expect(rejected).toEqual(['RESHAPE: gpu.rank-above-4', 'RESHAPE: gpu.rank-above-4']);
      expect(graph.nodes.filter((n) => [...n.inputs, ...n.outputs].some((t) => t && rank5(t))).length).toBe(2);
      expect(opHistogram(graph).TRANSPOSE ?? 0).toBeLessThanOrEqual(3);
    });
  }

  it('int8 MaxPool 3-D (CAST to float32 around each pass, exact)', async () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    const q = b.node('Cast', [b.input('x', [1, 2, 5, 6, 7])], { to: 3 }, 'q');
    const y = b.node('MaxPool', [q], { kernel_shape: [2, 3, 2], strides: [2, 1, 2], pads: [1, 1, 0, 0, 1, 1] }, 'yq');
    b.output(b.node('Cast', [y], { to: 1 }, 'y'));
    const { graph } = await expectMatchesOrt(b.build(), { range: [-120, 120] });
    expect(opHistogram(graph).MAX_POOL_2D).toBe(2);
  });

  it('refuses a 3-D pool whose strides do not have 3 values, naming the node', () => {
    const b = new OnnxGraphBuilder({ opset: 13 });
    b.output(b.node('MaxPool', [b.input('x', [1, 1, 4, 4, 4])], { kernel_shape: [2, 2, 2], strides: [1, 1] }, 'y'));
    const e = importRejection(b.build());
    expect(JSON.stringify(e.diagnostics)).toMatch(/strides \[1,1\] and dilations \[1,1,1\] must have 3 values for a 5-D input/);
  });
  it('refuses a 3-D window larger than the padded input, naming the node (was an internal error: negative output dims)', () => {
    const cases: Array<[Op, Record<string, AttrValue>, string]> = [
      ['MaxPool', { kernel_shape: [9, 2, 2] }, "MaxPool 'MaxPool_node_0': the 9×2×2 window (dilations included) is larger than the padded input 4×4×4"],
      ['AveragePool', { kernel_shape: [2, 2, 3], dilations: [1, 1, 2], pads: [0, 0, 0, 0, 0, 0] }, "AveragePool 'AveragePool_node_0': the 2×2×5 window (dilations included) is larger than the padded input 4×4×4"],
    ];
    for (const [op, attrs, msg] of cases) {
      const b = new OnnxGraphBuilder({ opset: 19 });
      b.output(b.node(op, [b.input('x', [1, 1, 4, 4, 4])], attrs, 'y'));
      const e = importRejection(b.build());
      expect(e.exit).toBe(2);
      expect(e.diagnostics.map((d) => `${d.reason}: ${d.message}`)).toEqual([`shape-mismatch: ${msg} (no output cell)`]);
    }
  });
});
