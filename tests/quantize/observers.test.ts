/**
 * Observers on distributions with known answers: a Gaussian with a few large
 * outliers (percentile / entropy / MSE clip them, min-max does not), exact
 * quantiles of a uniform ramp, histogram growth keeping counts exact.
 */
import { describe, expect, it } from 'vitest';
import { normalFloat32 } from '../../src/core/random.js';
import { createObserver, klDivergence, MseObserver, OBSERVER_KINDS, StreamingHistogram } from '../../src/quantize/observers/index.js';

/** N(0,1), 400 000 values in 8 batches, plus one outlier at +30 and one at −25 in the last batch. */
function gaussianWithOutliers(): Float32Array[] {
  const batches = [0, 1, 2, 3, 4, 5, 6, 7].map((s) => normalFloat32(50_000, 100 + s));
  batches[7]![5] = 30;
  batches[7]![9] = -25;
  return batches;
}

function observe(kind: (typeof OBSERVER_KINDS)[number], batches: Float32Array[], percentile?: number) {
  const o = createObserver({ kind, percentile });
  for (const b of batches) o.observe(b);
  return { r: o.result(), h: (o as unknown as { histogram: StreamingHistogram }).histogram };
}

describe('observers on a Gaussian with outliers', () => {
  const batches = gaussianWithOutliers();

  it('min-max keeps the outliers: range is exactly [−25, 30], nothing clipped', () => {
    const { r } = observe('minmax', batches);
    expect([r.lo, r.hi, r.min, r.max, r.clipRate, r.count]).toEqual([-25, 30, -25, 30, 0, 400_000]);
  });

  it('percentile 99.99 lands on the N(0,1) 0.005 % quantiles (±3.89) and clips 0.01 %', () => {
    const { r } = observe('percentile', batches);
    expect(r.hi).toBeGreaterThan(3.6);
    expect(r.hi).toBeLessThan(4.2);
    expect(r.lo).toBeLessThan(-3.6);
    expect(r.lo).toBeGreaterThan(-4.2);
    expect(r.clipRate).toBeCloseTo(0.0001, 5);
  });

  it('percentile 99 gives the N(0,1) 0.5 % quantiles ±2.576 within histogram resolution', () => {
    const { r } = observe('percentile', batches, 99);
    expect(r.hi).toBeCloseTo(2.576, 1);
    expect(r.lo).toBeCloseTo(-2.576, 1);
    expect(r.clipRate).toBeCloseTo(0.01, 3);
  });

  it('entropy and MSE clip the two outliers (and only a handful of values)', () => {
    for (const kind of ['entropy', 'mse'] as const) {
      const { r } = observe(kind, batches);
      expect(r.hi, kind).toBeLessThan(30);
      expect(r.hi, kind).toBeGreaterThan(3);
      expect(r.lo, kind).toBeGreaterThan(-25);
      expect(r.lo, kind).toBeLessThan(-3);
      expect(r.clipRate * 400_000, kind).toBeGreaterThanOrEqual(1.5);
      expect(r.clipRate, kind).toBeLessThan(0.001);
    }
  });

  it('MSE’s range has a lower int8 error than the min-max and percentile ranges', () => {
    const { r, h } = observe('mse', batches);
    const err = MseObserver.error(h, r.lo, r.hi);
    expect(err).toBeLessThan(MseObserver.error(h, -25, 30));
    const p = observe('percentile', batches).r;
    expect(err).toBeLessThan(MseObserver.error(h, p.lo, p.hi));
  });
});

describe('StreamingHistogram', () => {
  it('a uniform ramp 0…9999: exact count, quantiles within one bin', () => {
    const h = new StreamingHistogram();
    const ramp = Float32Array.from({ length: 10_000 }, (_, i) => i);
    h.add(ramp);
    expect(h.count).toBe(10_000);
    expect(h.lo).toBe(0);
    expect(h.quantile(0.5)).toBeCloseTo(5000, -1);
    expect(Math.abs(h.quantile(0.9) - 9000)).toBeLessThan(10);
    expect(h.fractionOutside(1000, 8999)).toBeCloseTo(0.2, 2);
  });

  it('grows its range on both sides by doubling and keeps every count', () => {
    const h = new StreamingHistogram(64);
    h.add([0.5, 1]);
    const lo0 = h.lo;
    const hi0 = h.hi;
    h.add([10]);
    h.add([-7, -7]);
    expect(h.hi).toBeGreaterThanOrEqual(10);
    expect(h.lo).toBeLessThanOrEqual(-7);
    // each growth doubles the width, so the range is a power-of-two multiple of the first one
    const ratio = (h.hi - h.lo) / (hi0 - lo0);
    expect(Math.log2(ratio)).toBeCloseTo(Math.round(Math.log2(ratio)), 9);
    expect(h.bins.reduce((a, b) => a + b, 0)).toBe(5);
    expect(h.min).toBe(-7);
    expect(h.max).toBe(10);
    expect(h.massBelow(0)).toBe(2);
  });

  it('ignores NaN and ±Inf', () => {
    const h = new StreamingHistogram();
    h.add([1, NaN, Infinity, -Infinity, 2]);
    expect(h.count).toBe(2);
    expect(h.max).toBe(2);
  });
});

describe('klDivergence', () => {
  it('is 0 for a window that loses nothing when merged, positive when mass is clipped', () => {
    const bins = new Float64Array(2048);
    for (let i = 0; i < 510; i++) bins[i] = 1; // two bins per quantized level, all equal
    expect(klDivergence(bins, 0, 510)).toBeCloseTo(0, 12);
    expect(klDivergence(bins, 0, 300)).toBeGreaterThan(0.01);
  });
});

describe('StreamingHistogram subsampling of large batches', () => {
  it('bins a weighted subsample of the middle: counts every value, keeps the exact extremes, quantiles within a few bins', () => {
    const data = normalFloat32(1_000_000, 7);
    data[123_457] = 40; // one outlier a subsample almost surely misses
    const h = new StreamingHistogram(2048, 1 << 12);
    h.add(data);
    expect(h.count).toBe(1_000_000);
    expect(h.bins.reduce((a, b) => a + b, 0)).toBeCloseTo(1_000_000, 3);
    expect(h.max).toBe(40);
    expect(h.min).toBe(data.reduce((m, v) => Math.min(m, v), Infinity));
    expect(h.hi).toBeGreaterThan(40);
    // the outlier is binned as a tail value, exactly once: the bins above the one holding 39 hold exactly 1
    const binOf = (v: number) => Math.floor((v - h.lo) / h.binWidth);
    expect(h.bins.slice(binOf(39) + 1).reduce((a, b) => a + b, 0)).toBe(1);
    // the median and the 97.5th percentile of N(0,1) from a 4 096-value middle subsample
    expect(Math.abs(h.quantile(0.5))).toBeLessThan(0.1);
    expect(Math.abs(h.quantile(0.975) - 1.96)).toBeLessThan(0.1);
    // the same data gives the same histogram (seeded draw)
    const h2 = new StreamingHistogram(2048, 1 << 12);
    h2.add(data);
    expect([...h2.bins]).toEqual([...h.bins]);
  });

  it('counts the tails exactly: the 0.005 % quantiles match the sorted data within one bin, whatever the batch order', () => {
    const batches = [1, 2, 3, 4, 5, 6].map((s) => normalFloat32(200_000, 40 + s));
    const sorted = Float32Array.from(batches.flatMap((b) => [...b])).sort();
    const exact = (q: number) => sorted[Math.floor(q * sorted.length)]!;
    for (const order of [batches, [...batches].reverse()]) {
      const h = new StreamingHistogram(2048, 1 << 12);
      for (const b of order) h.add(b);
      expect(h.count).toBe(1_200_000);
      for (const q of [0.00005, 0.99995]) expect(Math.abs(h.quantile(q) - exact(q)), `q ${q}`).toBeLessThan(1.5 * h.binWidth);
    }
  });

  it('NaN and ±Inf in a large batch are neither binned nor counted', () => {
    const data = normalFloat32(100_000, 3);
    data[10] = NaN;
    data[20] = Infinity;
    data[30] = -Infinity;
    const h = new StreamingHistogram(2048, 1 << 12);
    h.add(data);
    h.add(data);
    expect(h.count).toBe(2 * 99_997);
    expect(Number.isFinite(h.max) && Number.isFinite(h.min)).toBe(true);
  });
});

describe('StreamingHistogram merge (calibration streams)', () => {
  /** The bins every value of `all` falls in on h's final grid, counted. */
  function binnedOnGrid(h: StreamingHistogram, all: Float32Array[]): Float64Array {
    const out = new Float64Array(h.size);
    for (const b of all) for (const v of b) out[Math.min(h.size - 1, Math.floor((v - h.lo) / h.binWidth))]!++;
    return out;
  }

  it('seeded alike, two histograms whose ranges grew differently merge exactly', () => {
    // small batches (binned value by value); stream 0 grows to the right, stream 1 to the left and further right
    const s0 = [normalFloat32(3000, 1, 0.5), normalFloat32(3000, 2, 3, 4)];
    const s1 = [normalFloat32(3000, 3, 0.5), normalFloat32(3000, 4, 4, -9), normalFloat32(3000, 5, 8, 20)];
    const h0 = new StreamingHistogram();
    h0.add(s0[0]!);
    const h1 = new StreamingHistogram();
    h1.seed(h0.initial!);
    for (const b of s1) h1.add(b);
    h0.add(s0[1]!);
    expect(h1.binWidth).toBeGreaterThan(h0.binWidth);
    h0.merge(h1.state());
    expect(h0.count).toBe(15_000);
    expect([h0.min, h0.max]).toEqual([Math.min(...[...s0, ...s1].map((b) => Math.min(...b))), Math.max(...[...s0, ...s1].map((b) => Math.max(...b)))]);
    expect([...h0.bins]).toEqual([...binnedOnGrid(h0, [...s0, ...s1])]);
  });

  it('unseeded, the merge spreads each bin over the bins it overlaps: counts and extremes exact, quantiles within a bin', () => {
    const a = normalFloat32(3000, 7);
    const b = normalFloat32(3000, 8, 2, 1);
    const h0 = new StreamingHistogram();
    h0.add(a);
    const h1 = new StreamingHistogram();
    h1.add(b);
    h0.merge(h1.state());
    expect(h0.count).toBe(6000);
    expect(h0.bins.reduce((x, y) => x + y, 0)).toBeCloseTo(6000, 6);
    const sorted = Float32Array.from([...a, ...b]).sort();
    for (const q of [0.01, 0.5, 0.99]) expect(Math.abs(h0.quantile(q) - sorted[Math.floor(q * 6000)]!), `q ${q}`).toBeLessThan(2 * h0.binWidth);
  });

  it('only an empty histogram can be seeded', () => {
    const h = new StreamingHistogram();
    h.add(Float32Array.of(1, 2));
    expect(() => h.seed([0, 1])).toThrow(/empty/);
  });
});
