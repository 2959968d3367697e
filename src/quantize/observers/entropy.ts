import { StreamingHistogram } from './histogram.js';
import { searchWindow } from './range-search.js';
import type { Observer, RangeResult } from './types.js';

/** int8 levels a window is quantized into (TensorRT-style KL calibration). */
export const QUANTIZED_BINS = 255;

/**
 * KL(P‖Q) of clipping the histogram to bins [a, b): P is the window with the
 * clipped mass added to its edge bins; Q is the window (without the clipped
 * mass) merged into QUANTIZED_BINS groups and spread back evenly over the
 * bins of each group where P is non-zero (TensorRT / MXNet calibration).
 */
export function klDivergence(bins: Float64Array, a: number, b: number, nq = QUANTIZED_BINS): number {
  const width = b - a;
  if (width < nq) return Infinity;
  let below = 0;
  for (let i = 0; i < a; i++) below += bins[i]!;
  let above = 0;
  for (let i = b; i < bins.length; i++) above += bins[i]!;
  const p = bins.slice(a, b);
  const sliced = bins.subarray(a, b);
  p[0]! += below;
  p[width - 1]! += above;
  const q = new Float64Array(width);
  const merged = Math.floor(width / nq);
  for (let j = 0; j < nq; j++) {
    const start = j * merged;
    const stop = j === nq - 1 ? width : start + merged;
    let norm = 0;
    let total = 0;
    for (let k = start; k < stop; k++) {
      if (p[k] !== 0) norm++;
      total += sliced[k]!;
    }
    if (norm === 0) continue;
    for (let k = start; k < stop; k++) if (p[k] !== 0) q[k] = total / norm;
  }
  let ps = 0;
  let qs = 0;
  for (let k = 0; k < width; k++) {
    ps += p[k]!;
    qs += q[k]!;
  }
  if (ps === 0) return 0;
  if (qs === 0) return Infinity;
  const eps = 1e-10;
  let kl = 0;
  for (let k = 0; k < width; k++) {
    const pk = p[k]! / ps;
    if (pk === 0) continue;
    const qk = Math.max(q[k]! / qs, eps);
    kl += pk * Math.log(pk / qk);
  }
  return kl;
}

/** Entropy calibration: the window (at least 255 of the 2048 bins wide) with the smallest KL divergence. */
export class EntropyObserver implements Observer {
  readonly kind = 'entropy' as const;
  readonly histogram = new StreamingHistogram();

  observe(values: ArrayLike<number>): void {
    this.histogram.add(values);
  }

  result(): RangeResult {
    const h = this.histogram;
    if (h.count === 0) return { min: 0, max: 0, lo: 0, hi: 0, count: 0, clipRate: 0 };
    const { a, b } = searchWindow(h, (a, b) => klDivergence(h.bins, a, b), { minWidth: QUANTIZED_BINS });
    const lo = Math.max(h.edge(a), h.min);
    const hi = Math.min(h.edge(b), h.max);
    return { min: h.min, max: h.max, lo, hi, count: h.count, clipRate: h.fractionOutside(lo, hi) };
  }
}
