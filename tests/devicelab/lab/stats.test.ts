/**
 * Mann-Whitney U against scipy 1.17.1 (scipy.stats.mannwhitneyu, computed once in a venv outside
 * the repo; the script's inputs are the arrays below) and the bootstrap interval's coverage.
 */
import { describe, expect, it } from 'vitest';
import { bootstrapRatioCi, madSigma, mannWhitneyU, median, normalSf, quantile } from '../../../src/devicelab/lab/stats/index.js';
import { seededNormal } from '../../../src/core/random.js';

const SCIPY: Array<{ x: number[]; y: number[]; alt: 'greater' | 'less'; method: 'auto' | 'asymptotic'; u: number; p: number }> = [
  { x: [10.5, 10.59, 10.418, 10.233, 10.364], y: [9.703, 10.018, 10.402, 9.852, 9.814, 10.147, 10.107, 10.032, 9.721, 9.991, 10.209, 9.597, 9.863, 9.43, 9.613, 9.447, 9.929, 9.62, 10.081, 10.047, 9.944, 9.245, 9.838, 9.985, 10.034, 9.541, 9.857, 9.706, 9.757, 10.318, 9.758, 9.99, 10.265, 9.825, 9.966], alt: 'greater', method: 'auto', u: 171.0, p: 1.82368603421235e-05 },
  { x: [10.5, 10.59, 10.418, 10.233, 10.364], y: [9.703, 10.018, 10.402, 9.852, 9.814, 10.147, 10.107, 10.032, 9.721, 9.991, 10.209, 9.597, 9.863, 9.43, 9.613, 9.447, 9.929, 9.62, 10.081, 10.047, 9.944, 9.245, 9.838, 9.985, 10.034, 9.541, 9.857, 9.706, 9.757, 10.318, 9.758, 9.99, 10.265, 9.825, 9.966], alt: 'less', method: 'auto', u: 171.0, p: 0.9999893618314671 },
  { x: [10.033, 10.019, 9.632, 10.023, 10.408, 9.536, 10.258, 10.036, 9.808, 10.6, 10.229, 9.64], y: [10.022, 10.173, 9.943, 10.205, 9.98, 10.2, 10.432, 9.797, 10.061, 9.861, 10.038, 9.644, 9.826, 9.941, 10.27, 10.344, 9.603, 9.762, 10.194, 9.402, 9.861, 9.971, 10.377, 10.207, 9.902, 9.889, 9.925, 10.457, 9.872, 9.909], alt: 'greater', method: 'auto', u: 189.0, p: 0.40645673155224726 },
  { x: [10.033, 10.019, 9.632, 10.023, 10.408, 9.536, 10.258, 10.036, 9.808, 10.6, 10.229, 9.64], y: [10.022, 10.173, 9.943, 10.205, 9.98, 10.2, 10.432, 9.797, 10.061, 9.861, 10.038, 9.644, 9.826, 9.941, 10.27, 10.344, 9.603, 9.762, 10.194, 9.402, 9.861, 9.971, 10.377, 10.207, 9.902, 9.889, 9.925, 10.457, 9.872, 9.909], alt: 'less', method: 'auto', u: 189.0, p: 0.6043075172568084 },
  { x: [1.0, 2.0, 3.0, 4.0, 5.0], y: [6.0, 7.0, 8.0, 9.0, 10.0, 11.0], alt: 'greater', method: 'auto', u: 0.0, p: 1.0 },
  { x: [6.0, 7.0, 8.0, 9.0, 10.0], y: [1.0, 2.0, 3.0, 4.0, 5.0, 11.0], alt: 'greater', method: 'auto', u: 25.0, p: 0.04112554112554113 },
  { x: [1.0, 2.0, 2.0, 3.0, 5.0], y: [2.0, 3.0, 3.0, 4.0, 4.0, 6.0, 7.0], alt: 'greater', method: 'auto', u: 8.0, p: 0.950545669572018 },
  { x: [13.11, 12.96, 12.94, 12.67, 13.0], y: [9.87, 10.35, 10.2, 9.99, 10.2, 9.9, 10.32, 10.0, 10.18, 9.61, 10.1, 9.49, 9.39, 9.91, 9.73, 10.05, 10.67, 9.75, 9.81, 10.06, 10.15, 9.95, 9.94, 10.21, 10.16, 9.69, 9.98, 10.01, 9.68, 10.08, 9.74, 10.29, 10.06, 10.03, 9.82], alt: 'greater', method: 'auto', u: 175.0, p: 0.00018664826526772546 },
  { x: [3.1, 2.9, 3.3, 3.0, 3.2, 3.5, 2.8, 3.4, 3.6, 3.05], y: [3.0, 2.95, 3.15, 2.85, 3.25, 3.05, 2.9, 3.1, 3.2, 3.0, 2.8], alt: 'greater', method: 'auto', u: 75.5, p: 0.07890271393203663 },
  { x: [1.0, 2.0, 3.0, 4.0, 5.0], y: [6.0, 7.0, 8.0, 9.0, 10.0, 11.0], alt: 'greater', method: 'asymptotic', u: 0.0, p: 0.9976718713764371 },
];

describe('mannWhitneyU', () => {
  it.each(SCIPY.map((c, i) => [i, c] as const))('case %i matches scipy', (_, c) => {
    const r = mannWhitneyU(c.x, c.y, c.alt, c.method);
    expect(r.u).toBe(c.u);
    expect(Math.abs(r.p - c.p) / Math.max(c.p, 1e-12)).toBeLessThan(1e-5);
  });
  it('uses the exact distribution for a small tie-free sample and the normal approximation with ties', () => {
    expect(mannWhitneyU([6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 11]).method).toBe('exact');
    expect(mannWhitneyU([1, 2, 2, 3, 5], [2, 3, 3, 4, 4, 6, 7]).method).toBe('asymptotic');
  });
});

describe('robust summaries', () => {
  it('median, quantile (linear) and MAD σ', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.9)).toBeCloseTo(4.6, 12);
    expect(madSigma([1, 2, 3, 4, 100])).toBeCloseTo(1.4826, 12);
    expect(normalSf(1.959963985)).toBeCloseTo(0.025, 6);
  });
});

describe('bootstrapRatioCi', () => {
  it('covers the true ratio of medians about 95 % of the time on synthetic lognormal data', () => {
    // x ~ 1.1 · y in distribution: the true ratio of medians is exactly 1.1
    const trials = 300;
    let covered = 0;
    for (let t = 0; t < trials; t++) {
      const g = seededNormal(1000 + t);
      const y = Array.from({ length: 35 }, () => 10 * Math.exp(0.03 * g()));
      const x = Array.from({ length: 35 }, () => 11 * Math.exp(0.03 * g()));
      const ci = bootstrapRatioCi(x, y, { resamples: 1000, seed: t + 1 });
      if (ci.low <= 1.1 && 1.1 <= ci.high) covered++;
    }
    const coverage = covered / trials;
    // binomial sd at 0.95 over 300 trials ≈ 0.013; the percentile bootstrap of a median runs slightly wide or narrow
    expect(coverage).toBeGreaterThan(0.9);
    expect(coverage).toBeLessThan(0.995);
  });
  it('is seeded and brackets the point estimate', () => {
    const a = bootstrapRatioCi([11, 12, 11.5, 11.8, 12.2], [10, 10.2, 9.9, 10.1, 10.3, 9.8], { seed: 3 });
    expect(a).toEqual(bootstrapRatioCi([11, 12, 11.5, 11.8, 12.2], [10, 10.2, 9.9, 10.1, 10.3, 9.8], { seed: 3 }));
    expect(a.low).toBeLessThanOrEqual(a.ratio);
    expect(a.high).toBeGreaterThanOrEqual(a.ratio);
    expect(a.ratio).toBeCloseTo(11.8 / 10.05, 12);
  });
});
