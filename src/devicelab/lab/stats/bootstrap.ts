/**
 * Percentile bootstrap confidence interval of the ratio of medians
 * median(x) / median(y): both samples resampled with replacement, seeded.
 */
import { seededRandom } from '../../../core/random.js';

function medianInPlace(a: Float64Array): number {
  a.sort();
  const h = a.length >> 1;
  return a.length % 2 ? a[h]! : (a[h - 1]! + a[h]!) / 2;
}

export interface RatioCi {
  ratio: number;
  low: number;
  high: number;
  level: number;
  resamples: number;
}

export function bootstrapRatioCi(x: readonly number[], y: readonly number[], opts: { resamples?: number; level?: number; seed?: number } = {}): RatioCi {
  const B = opts.resamples ?? 10_000;
  const level = opts.level ?? 0.95;
  const rnd = seededRandom(opts.seed ?? 1);
  const ratio = medianInPlace(Float64Array.from(x)) / medianInPlace(Float64Array.from(y));
  if (x.length === 0 || y.length === 0) return { ratio: NaN, low: NaN, high: NaN, level, resamples: 0 };
  const bx = new Float64Array(x.length);
  const by = new Float64Array(y.length);
  const stats = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < x.length; i++) bx[i] = x[Math.floor(rnd() * x.length)]!;
    for (let i = 0; i < y.length; i++) by[i] = y[Math.floor(rnd() * y.length)]!;
    stats[b] = medianInPlace(bx) / medianInPlace(by);
  }
  stats.sort();
  const at = (q: number) => {
    const pos = (B - 1) * q;
    const lo = Math.floor(pos);
    return stats[lo]! + (stats[Math.min(B - 1, lo + 1)]! - stats[lo]!) * (pos - lo);
  };
  const a = (1 - level) / 2;
  return { ratio, low: at(a), high: at(1 - a), level, resamples: B };
}
