/**
 * Histograms mapped through an element-wise function and merged, against the
 * histogram of the mapped / concatenated values themselves.
 */
import { describe, expect, it } from 'vitest';
import { normalFloat32, uniformFloat32 } from '../../src/core/random.js';
import { mapHistogram, mergeHistograms, type ElementwiseFn } from '../../src/quantize/mapped-histogram.js';
import { StreamingHistogram } from '../../src/quantize/observers/index.js';

const exact = (data: Float32Array) => {
  const h = new StreamingHistogram(2048, data.length); // every value binned
  h.add(data);
  return h;
};
const sortedOf = (data: Float32Array) => Float32Array.from(data).sort();
const hardSwish: ElementwiseFn = { f: (x) => (x * Math.min(Math.max(x + 3, 0), 6)) / 6, breaks: [-3, -1.5, 3] };
const logistic: ElementwiseFn = { f: (x) => 1 / (1 + Math.exp(-x)), breaks: [] };

describe('mapHistogram', () => {
  it('HARD_SWISH (not monotone): same count, quantiles of the mapped values within a bin, exact maximum', () => {
    const data = normalFloat32(60_000, 3, 0, 2.5);
    const h = exact(data);
    const m = mapHistogram(h, hardSwish);
    const mapped = Float32Array.from(data, hardSwish.f);
    const sorted = sortedOf(mapped);
    expect(m.count).toBeCloseTo(h.count, 6);
    expect(m.bins.reduce((a, b) => a + b, 0)).toBeCloseTo(h.count, 6);
    expect(m.max).toBeCloseTo(sorted[sorted.length - 1]!, 5);
    // the minimum −0.375 lies inside the span: the derived one is that of the occupied bin around −1.5
    expect(Math.abs(m.min - sorted[0]!)).toBeLessThanOrEqual(m.binWidth);
    expect(m.min).toBeLessThanOrEqual(sorted[0]! + 1e-7);
    for (const q of [0.0005, 0.01, 0.2, 0.5, 0.9, 0.9995]) {
      const want = sorted[Math.floor(q * (sorted.length - 1))]!;
      expect(Math.abs(m.quantile(q) - want), `q ${q}`).toBeLessThanOrEqual(m.binWidth);
    }
  });

  it('LOGISTIC (monotone): exact extremes, quantiles within a bin; the source is untouched', () => {
    const data = uniformFloat32(40_000, 5, -7, 4);
    const h = exact(data);
    const before = h.state().bins.slice();
    const m = mapHistogram(h, logistic);
    const sorted = sortedOf(Float32Array.from(data, logistic.f));
    expect([m.min, m.max].map((v) => Math.fround(v))).toEqual([sorted[0], sorted[sorted.length - 1]]);
    for (const q of [0.001, 0.3, 0.999]) {
      const want = sorted[Math.floor(q * (sorted.length - 1))]!;
      expect(Math.abs(m.quantile(q) - want), `q ${q}`).toBeLessThanOrEqual(m.binWidth);
    }
    expect(h.bins).toEqual(before);
  });

  it('an affine map with a negative scale flips the distribution', () => {
    const data = normalFloat32(20_000, 8);
    const m = mapHistogram(exact(data), { f: (x) => -2 * x + 1, breaks: [] });
    const sorted = sortedOf(Float32Array.from(data, (x) => -2 * x + 1));
    expect(m.min).toBeCloseTo(sorted[0]!, 5);
    expect(m.max).toBeCloseTo(sorted[sorted.length - 1]!, 5);
    expect(Math.abs(m.quantile(0.25) - sorted[Math.floor(0.25 * sorted.length)]!)).toBeLessThanOrEqual(m.binWidth);
  });

  it('drops values whose image is not finite, as observing them would', () => {
    // exp(100) overflows float32
    const data = Float32Array.of(-1, 0, 1, 100);
    const h = exact(data);
    const m = mapHistogram(h, { f: Math.exp, breaks: [] });
    expect(m.count).toBe(3);
    // the largest finite image is that of the top of 1's bin: exact to within one input bin's image
    expect(m.max).toBeGreaterThanOrEqual(Math.E);
    expect(m.max).toBeLessThanOrEqual(Math.exp(1 + h.binWidth));
  });
});

describe('mergeHistograms', () => {
  it('of histograms over different ranges: the histogram of all values together within a bin', () => {
    const a = uniformFloat32(30_000, 1, -0.5, 0.25);
    const b = normalFloat32(20_000, 2, 3, 1);
    const c = Float32Array.of(25);
    const m = mergeHistograms([exact(a), exact(b), exact(c)]);
    const all = new Float32Array(a.length + b.length + c.length);
    all.set(a);
    all.set(b, a.length);
    all.set(c, a.length + b.length);
    const sorted = sortedOf(all);
    expect(m.count).toBeCloseTo(all.length, 6);
    expect([m.min, m.max]).toEqual([sorted[0], sorted[sorted.length - 1]]);
    for (const q of [0.0001, 0.1, 0.6, 0.9999]) {
      const want = sorted[Math.floor(q * (sorted.length - 1))]!;
      expect(Math.abs(m.quantile(q) - want), `q ${q}`).toBeLessThanOrEqual(m.binWidth);
    }
  });

  it('of empty histograms is empty', () => {
    const m = mergeHistograms([new StreamingHistogram(), new StreamingHistogram()]);
    expect([m.count, m.bins.some((v) => v !== 0)]).toEqual([0, false]);
  });
});
