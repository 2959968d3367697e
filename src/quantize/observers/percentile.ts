import { StreamingHistogram } from './histogram.js';
import type { Observer, RangeResult } from './types.js';

/**
 * Two-sided percentile: with p = 99.99 the range runs from the 0.005th to the
 * 99.995th percentile of the observed values (read off the streamed histogram,
 * linear within a bin), so at most (100 − p) % of the values are clipped.
 */
export class PercentileObserver implements Observer {
  readonly kind = 'percentile' as const;
  readonly histogram = new StreamingHistogram();

  constructor(readonly percentile = 99.99) {
    if (!(percentile > 0 && percentile <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${percentile}`);
  }

  observe(values: ArrayLike<number>): void {
    this.histogram.add(values);
  }

  result(): RangeResult {
    const h = this.histogram;
    if (h.count === 0) return { min: 0, max: 0, lo: 0, hi: 0, count: 0, clipRate: 0 };
    const tail = (1 - this.percentile / 100) / 2;
    const lo = tail === 0 ? h.min : h.quantile(tail);
    const hi = tail === 0 ? h.max : h.quantile(1 - tail);
    return { min: h.min, max: h.max, lo, hi, count: h.count, clipRate: h.fractionOutside(lo, hi) };
  }
}
