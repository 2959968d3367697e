import type { StreamingHistogram } from './histogram.js';

/** Pluggable calibration observers: each turns streamed activation values into a clipping range. */
export type ObserverKind = 'minmax' | 'percentile' | 'entropy' | 'mse';

export interface ObserverOptions {
  kind: ObserverKind;
  /** percentile observer: the two-sided coverage in percent (default 99.99: 0.005 % clipped on each side). */
  percentile?: number;
}

export interface RangeResult {
  /** Exact extremes observed. */
  min: number;
  max: number;
  /** The chosen range (before the int8 nudge that includes 0). */
  lo: number;
  hi: number;
  /** Number of finite values observed. */
  count: number;
  /** Fraction of observed values outside [lo, hi]. */
  clipRate: number;
}

export interface Observer {
  readonly kind: ObserverKind;
  /** the streamed histogram its range is read from */
  readonly histogram: StreamingHistogram;
  observe(values: ArrayLike<number>): void;
  result(): RangeResult;
}
