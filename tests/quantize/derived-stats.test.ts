/**
 * Statistics derived instead of observed: which activations qualify, and derived statistics
 * against a direct observation of the same values (LiteRT runs the model with them exposed).
 */
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../helpers/ir-builder.js';
import { normalFloat32, uniformFloat32 } from '../../src/core/random.js';
import { activationTensors, calibrate } from '../../src/quantize/calibrate.js';
import { derivedActivations } from '../../src/quantize/derived-stats.js';
import { exposeTensors } from '../../src/quantize/expose.js';
import { createObserver, StreamingHistogram } from '../../src/quantize/observers/index.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { writeTflite } from '../../src/tflite/index.js';
import type { HostTensor } from '../../src/runtime/types.js';

function build() {
  const b = new IrBuilder(5);
  const x = b.input('x', [1, 16, 16, 3]);
  const conv = b.conv2d(x, { out: 8, k: 3, name: 'conv' });
  const relu = b.unary('RELU', conv, { name: 'relu' });
  const t = b.transpose(relu, [0, 3, 1, 2], { name: 't' });
  const r = b.reshape(t, [1, 8, 256], { name: 'r' });
  const fused = b.conv2d(x, { out: 4, k: 1, activation: 'RELU6', name: 'fused' });
  const relu6 = b.unary('RELU6', fused, { name: 'relu6' });
  const sig = b.unary('LOGISTIC', relu6, { name: 'sig' });
  b.output(r);
  b.output(sig);
  return { g: b.graph, x, conv, relu, t, r, fused, relu6, sig };
}
const sample = (seed: number): HostTensor[] => [{ name: 'x', dtype: 'float32', shape: [1, 16, 16, 3], data: uniformFloat32(768, seed, -2, 3) }];

describe('derivedActivations', () => {
  it('derives value-moving ops and RELU-family activations from their input; not graph inputs, fused activations or other ops', () => {
    const { g, conv, relu, t, r, fused, relu6 } = build();
    const d = derivedActivations(g, activationTensors(g));
    expect([...d.entries()]).toEqual([
      [relu, { from: conv, clamp: [0, Infinity] }],
      [t, { from: relu }],
      [r, { from: t }],
      [relu6, { from: fused, clamp: [0, 6] }],
    ]);
  });
});

describe('calibrate with derived statistics', () => {
  it('matches observing each derived activation directly: min-max exactly, percentile within two bins', async () => {
    const { g } = build();
    const names = activationTensors(g);
    const samples = [1, 2, 3, 4].map(sample);
    const m = await liteRtRuntime.load(writeTflite(exposeTensors(g, names)));
    const direct = { minmax: names.map(() => createObserver({ kind: 'minmax' })), percentile: names.map(() => createObserver({ kind: 'percentile', percentile: 99 })) };
    try {
      for (const s of samples) {
        const outs = await m.run(s);
        names.forEach((_, k) => {
          direct.minmax[k]!.observe(outs[g.outputs.length + k]!.data as Float32Array);
          direct.percentile[k]!.observe(outs[g.outputs.length + k]!.data as Float32Array);
        });
      }
    } finally {
      await m.dispose();
    }
    const minmax = await calibrate(g, samples, { kind: 'minmax' });
    const percentile = await calibrate(g, samples, { kind: 'percentile', percentile: 99 });
    for (const [k, n] of names.entries()) {
      const want = direct.minmax[k]!.result();
      const got = minmax.get(n)!;
      expect([got.min, got.max, got.lo, got.hi, got.count], n).toEqual([want.min, want.max, want.lo, want.hi, want.count]);
      const p = direct.percentile[k]!.result();
      const q = percentile.get(n)!;
      const bin = (percentile.get(n)!.histogram!.hi - percentile.get(n)!.histogram!.lo) / 2048;
      expect(Math.abs(q.hi - p.hi), n).toBeLessThanOrEqual(2 * bin);
      expect(Math.abs(q.lo - p.lo), n).toBeLessThanOrEqual(2 * bin);
      expect(q.count, n).toBe(p.count);
    }
  });
});

describe('StreamingHistogram.clamped', () => {
  it('moves the mass outside the span into its edge bins: same count, quantiles of the clamped values', () => {
    const data = normalFloat32(50_000, 9);
    const h = new StreamingHistogram(2048, data.length); // every value binned
    h.add(data);
    const c = h.clamped(0, 1.5);
    expect(c.bins.reduce((a, b) => a + b, 0)).toBeCloseTo(h.count, 6);
    expect([c.min, c.max, c.count]).toEqual([0, 1.5, h.count]);
    const clampedSorted = Float32Array.from(data, (v) => Math.min(Math.max(v, 0), 1.5)).sort();
    for (const q of [0.6, 0.8]) expect(Math.abs(c.quantile(q) - clampedSorted[Math.floor(q * data.length)]!), `q ${q}`).toBeLessThan(2 * c.binWidth);
    // below 0.5 the clamped values are all 0
    expect(c.quantile(0.3)).toBeLessThan(2 * c.binWidth);
    // the source histogram is untouched
    expect(h.min).toBeLessThan(0);
  });
});
