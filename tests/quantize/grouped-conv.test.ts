/**
 * Quantizing a converted ONNX model whose grouped convolutions became one
 * grouped CONV_2D (op version 6): int8 (per-channel weights along the output
 * channels, int32 bias at input scale × weight scale), fp16 and dynamic range.
 * LiteRT runs every file; outputs are compared with the float model.
 */
import { describe, expect, it } from 'vitest';
import { convert } from '../../src/convert/index.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { quantizeFp16 } from '../../src/quantize/fp16.js';
import { quantizeDynamicRange } from '../../src/quantize/dynamic-range.js';
import { runTfliteBytes } from '../helpers/tflite-oracle.js';
import { readTflite, writeTflite } from '../../src/tflite/index.js';
import type { Graph } from '../../src/ir/graph.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { OnnxGraphBuilder, normalFloat32 } from '../helpers/onnx-builder.js';
import { maxAbsDiff, sqnrDb } from './sqnr.js';

/** 1×1 conv 16→32 + Relu, grouped 3×3 conv (4 groups of 8) + Relu, grouped 3×3 stride 2 (2 groups of 16 → 8). */
function groupedNet(): Uint8Array {
  const b = new OnnxGraphBuilder({ opset: 13 });
  const x = b.input('x', [1, 16, 12, 12]);
  const conv = (from: string, m: number, c: number, group: number, k: number, seed: number, extra: Record<string, number[] | number> = {}) =>
    b.node('Conv', [from, b.init(`w${seed}`, [m, c / group, k, k], normalFloat32((m * c * k * k) / group, seed, Math.sqrt(2 / ((c / group) * k * k)))), b.init(`b${seed}`, [m], normalFloat32(m, seed + 100, 0.1))], { group, pads: k === 3 ? [1, 1, 1, 1] : [0, 0, 0, 0], ...extra });
  const a = b.node('Relu', [conv(x, 32, 16, 1, 1, 1)]);
  const g = b.node('Relu', [conv(a, 32, 32, 4, 3, 2)]);
  b.output(conv(g, 16, 32, 2, 3, 3, { strides: [2, 2] }));
  return b.build();
}

const sample = (seed: number): HostTensor[] => [{ name: 'x', dtype: 'float32', shape: [1, 12, 12, 16], data: uniformFloat32(12 * 12 * 16, seed, -1, 1) }];

const run = async (bytes: Uint8Array, x: HostTensor[]): Promise<Float32Array> => (await runTfliteBytes(bytes, x))[0]!.data as Float32Array;

const groupedConvs = (g: Graph) => g.nodes.filter((n) => n.op === 'CONV_2D' && g.tensor(n.inputs[1]!).shape[3] !== g.tensor(n.inputs[0]!).shape[3]);

describe('quantizing grouped CONV_2D', async () => {
  const g = convert({ bytes: groupedNet(), file: 'grouped.onnx' }).graph;
  const floatBytes = writeTflite(g);
  const held = [101, 102, 103, 104].map(sample);
  const reference = await Promise.all(held.map((x) => run(floatBytes, x)));

  it('the float model holds two grouped CONV_2D (version 6) and no SPLIT', () => {
    const back = readTflite(floatBytes);
    expect(groupedConvs(back).map((n) => n.version)).toEqual([6, 6]);
    expect(back.nodes.some((n) => n.op === 'SPLIT')).toBe(false);
  });

  it('int8: per-channel weights on axis 0, bias scale = input scale × weight scale, version 6; LiteRT output SQNR ≥ 30 dB', async () => {
    const stats = await calibrate(g, [1, 2, 3, 4, 5, 6, 7, 8].map(sample), { kind: 'minmax' });
    const r = quantizeInt8(g, stats);
    expect(r.keptFloat).toEqual([]);
    const bytes = writeTflite(r.graph);
    const back = readTflite(bytes);
    const convs = groupedConvs(back);
    expect(convs).toHaveLength(2);
    for (const n of convs) {
      expect(n.version).toBe(6);
      const [x, w, bias] = n.inputs.map((t) => back.tensor(t!));
      const m = w!.shape[0]!;
      expect([x!.dtype, w!.dtype, bias!.dtype]).toEqual(['int8', 'int8', 'int32']);
      expect(w!.quant!.axis ?? 0).toBe(0);
      expect(w!.quant!.scale).toHaveLength(m);
      expect(w!.quant!.zeroPoint.every((z) => z === 0)).toBe(true);
      // scales are float32 in the file: equal up to float32 rounding
      bias!.quant!.scale.forEach((s, i) => expect(Math.abs(s / (x!.quant!.scale[0]! * w!.quant!.scale[i]!) - 1)).toBeLessThan(1e-6));
    }
    const sqnr = sqnrDb((await Promise.all(held.map((x) => run(bytes, x)))).flatMap((o) => [...o]), reference.flatMap((o) => [...o]));
    expect(sqnr).toBeGreaterThanOrEqual(30); // measured 37.3 dB
  });

  it('fp16: grouped weights float16 behind DEQUANTIZE, outputs within fp16 tolerance', async () => {
    const bytes = writeTflite(quantizeFp16(g));
    const back = readTflite(bytes);
    for (const n of groupedConvs(back)) {
      const dq = back.producerOf(n.inputs[1]!)!;
      expect(dq.op).toBe('DEQUANTIZE');
      expect(back.tensor(dq.inputs[0]!).dtype).toBe('float16');
      expect(n.version).toBe(6);
    }
    const out = await Promise.all(held.map((x) => run(bytes, x)));
    out.forEach((o, i) => expect(maxAbsDiff(o, reference[i]!)).toBeLessThan(5e-3)); // measured 1.1e-3
  });

  it('dynamic range: LiteRT runs the hybrid grouped CONV_2D, SQNR ≥ 30 dB', async () => {
    const bytes = writeTflite(quantizeDynamicRange(g, { minElements: 0 }));
    const out = await Promise.all(held.map((x) => run(bytes, x)));
    expect(sqnrDb(out.flatMap((o) => [...o]), reference.flatMap((o) => [...o]))).toBeGreaterThanOrEqual(30); // measured 39.8 dB
  });
});
