import { StreamingHistogram } from './histogram.js';
import type { Observer, RangeResult } from './types.js';

/** The exact observed range; clips nothing. Keeps a histogram too so the report can show the distribution. */
export class MinMaxObserver implements Observer {
  readonly kind = 'minmax' as const;
  readonly histogram = new StreamingHistogram();

  observe(values: ArrayLike<number>): void {
    this.histogram.add(values);
  }

  result(): RangeResult {
    const h = this.histogram;
    const min = h.count ? h.min : 0;
    const max = h.count ? h.max : 0;
    return { min, max, lo: min, hi: max, count: h.count, clipRate: 0 };
  }
}
