import { StreamingHistogram } from './histogram.js';
import { searchWindow } from './range-search.js';
import type { Observer, RangeResult } from './types.js';
import { int8Params } from '../int8-params.js';

/**
 * MSE-optimal clipping: the window whose int8 (asymmetric, 256 levels)
 * quantization error over the observed histogram is smallest. Values inside
 * the window cost the uniform rounding noise s²/12; values outside cost their
 * squared distance to the nearest representable end.
 */
export class MseObserver implements Observer {
  readonly kind = 'mse' as const;
  readonly histogram = new StreamingHistogram();

  observe(values: ArrayLike<number>): void {
    this.histogram.add(values);
  }

  /** Expected squared int8 quantization error (total over the counted values) for the range [lo, hi]. */
  static error(h: StreamingHistogram, lo: number, hi: number): number {
    const { scale, zeroPoint } = int8Params(lo, hi);
    const qlo = (-128 - zeroPoint) * scale;
    const qhi = (127 - zeroPoint) * scale;
    const inside = (scale * scale) / 12;
    const w = h.binWidth;
    let err = 0;
    for (let i = 0; i < h.size; i++) {
      const c = h.bins[i]!;
      if (c === 0) continue;
      const x = h.lo + (i + 0.5) * w;
      const d = x < qlo ? qlo - x : x > qhi ? x - qhi : 0;
      err += c * (d > 0 ? d * d : inside);
    }
    return err;
  }

  result(): RangeResult {
    const h = this.histogram;
    if (h.count === 0) return { min: 0, max: 0, lo: 0, hi: 0, count: 0, clipRate: 0 };
    const { a, b } = searchWindow(h, (a, b) => MseObserver.error(h, h.edge(a), h.edge(b)));
    const lo = Math.max(h.edge(a), h.min);
    const hi = Math.min(h.edge(b), h.max);
    return { min: h.min, max: h.max, lo, hi, count: h.count, clipRate: h.fractionOutside(lo, hi) };
  }
}
