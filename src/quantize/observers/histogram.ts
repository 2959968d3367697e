/**
 * A streamed histogram with a bounded number of bins (2048 by default) whose
 * range always includes 0 and grows by doubling: when a value falls outside,
 * the range is extended on that side to twice its width and adjacent bin pairs
 * are merged, so counts already collected stay exact per (coarser) bin.
 * A batch longer than `sampleLimit` values has its exact extremes taken over
 * every value but only a stratified random subsample of `sampleLimit` values
 * binned (one value drawn from each of `sampleLimit` equal strides), so the
 * cost per batch stays bounded on large activations.
 */
import { internalError } from '../../core/errors.js';
import { range, runRange, SIMD_RUN } from './simd-range.js';

export const DEFAULT_BINS = 2048;

/** Values binned per batch at most (larger batches are subsampled; extremes stay exact). */
export const DEFAULT_SAMPLE_LIMIT = 1 << 16;

/** The subsample drawn from the last large batch (shared by every histogram: adds never interleave). */
let drawn = new Float32Array(0);

/** A histogram as plain data (sent between threads). */
export interface HistogramState {
  size: number;
  sampleLimit: number;
  bins: Float64Array;
  lo: number;
  hi: number;
  min: number;
  max: number;
  count: number;
}

let scratch = new Int32Array(0);
/** A zeroed int32 count buffer of `size` bins, shared by every histogram (adds never interleave). */
function scratchCounts(size: number): Int32Array {
  if (scratch.length < size) scratch = new Int32Array(size);
  return scratch;
}

/** The smallest and largest finite values of `data` ([Infinity, −Infinity] when none is finite). */
export function finiteRange(data: Float32Array): [number, number] {
  let a = Infinity;
  let b = -Infinity;
  for (let c = 0; c < data.length; c += SIMD_RUN) {
    runRange(data, c, Math.min(data.length, c + SIMD_RUN));
    if (range.lo < a) a = range.lo;
    if (range.hi > b) b = range.hi;
  }
  return a === -Infinity || b === Infinity ? finiteRangeSkippingInfinity(data) : [a, b];
}

/** finiteRange for data holding an infinity: a scalar pass that skips ±Inf. */
function finiteRangeSkippingInfinity(data: Float32Array): [number, number] {
  let a = Infinity;
  let b = -Infinity;
  for (let k = 0; k < data.length; k++) {
    const v = data[k]!;
    if (v === Infinity || v === -Infinity) continue;
    if (v < a) a = v;
    if (v > b) b = v;
  }
  return [a, b];
}

export class StreamingHistogram {
  readonly bins: Float64Array;
  /** Range covered by the bins: [lo, hi), bin width (hi − lo) / bins. */
  lo = 0;
  hi = 0;
  /** Exact extremes seen, and the number of values binned (every finite value of batches up to `sampleLimit`). */
  min = Infinity;
  max = -Infinity;
  count = 0;
  /** xorshift32 state of the subsample draw (seeded: the same data gives the same histogram) */
  private rng = 0x9e3779b9;

  constructor(
    readonly size = DEFAULT_BINS,
    readonly sampleLimit = DEFAULT_SAMPLE_LIMIT,
  ) {
    if (size < 2 || size % 2 !== 0) throw internalError(`histogram size must be even and ≥ 2, got ${size}`);
    if (!(sampleLimit >= 1)) throw internalError(`histogram sample limit must be ≥ 1, got ${sampleLimit}`);
    this.bins = new Float64Array(size);
  }

  /**
   * Adds `data`: its exact finite extremes widen the range first (so binning never regrows it),
   * then every finite value is binned, or (longer than sampleLimit) a stratified subsample.
   */
  add(data: ArrayLike<number>): void {
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    const small = values.length <= this.sampleLimit;
    const [a, b] = small ? finiteRange(values) : this.drawSubsample(values);
    if (!(a <= b)) return; // no finite value
    this.cover(a, b);
    if (a < this.min) this.min = a;
    if (b > this.max) this.max = b;
    this.count += this.binAll(small ? values : drawn.subarray(0, this.sampleLimit));
  }

  state(): HistogramState {
    return { size: this.size, sampleLimit: this.sampleLimit, bins: this.bins, lo: this.lo, hi: this.hi, min: this.min, max: this.max, count: this.count };
  }

  static fromState(s: HistogramState): StreamingHistogram {
    const h = new StreamingHistogram(s.size, s.sampleLimit);
    h.bins.set(s.bins);
    Object.assign(h, { lo: s.lo, hi: s.hi, min: s.min, max: s.max, count: s.count });
    return h;
  }

  get binWidth(): number {
    return (this.hi - this.lo) / this.size;
  }

  /** Bins every finite value of `values` (the range already covers them); returns how many. */
  private binAll(values: Float32Array): number {
    const counts = scratchCounts(this.size);
    const lo = this.lo;
    const hi = this.hi;
    const inv = this.size / (hi - lo);
    const last = this.size - 1;
    const len = values.length;
    let n = 0;
    for (let i = 0; i < len; i++) {
      const v = values[i]!;
      if (!(v >= lo && v < hi)) continue; // NaN, ±Inf
      const b = ((v - lo) * inv) | 0;
      counts[b < last ? b : last]!++;
      n++;
    }
    this.flush(counts);
    return n;
  }

  /**
   * One pass over `values` in runs of SIMD_RUN: the finite extremes of every value, and into
   * `drawn` one value from each of `sampleLimit` equal strides (at a random offset), read while
   * its run is still in cache. Returns the finite extremes.
   */
  private drawSubsample(values: Float32Array): [number, number] {
    const len = values.length;
    const k = this.sampleLimit;
    const stride = len / k;
    if (drawn.length < k) drawn = new Float32Array(k);
    let a = Infinity;
    let b = -Infinity;
    let x = this.rng;
    let j = 0;
    let next = 0; // the index drawn for stratum `nextFor`
    let nextFor = -1;
    for (let c0 = 0; c0 < len; c0 += SIMD_RUN) {
      const c1 = Math.min(len, c0 + SIMD_RUN);
      runRange(values, c0, c1);
      if (range.lo < a) a = range.lo;
      if (range.hi > b) b = range.hi;
      while (j < k) {
        if (nextFor !== j) {
          // stratum j's draw (xorshift32)
          x ^= x << 13;
          x ^= x >>> 17;
          x ^= x << 5;
          next = Math.min(len - 1, Math.floor((j + (x >>> 0) / 4294967296) * stride));
          nextFor = j;
        }
        if (next >= c1) break;
        drawn[j++] = values[next]!;
      }
    }
    this.rng = x;
    return a === -Infinity || b === Infinity ? finiteRangeSkippingInfinity(values) : [a, b];
  }

  /** Adds the int32 scratch counts into the bins and zeroes them. */
  private flush(counts: Int32Array): void {
    const bins = this.bins;
    for (let b = 0; b < this.size; b++) {
      if (counts[b]) {
        bins[b]! += counts[b]!;
        counts[b] = 0;
      }
    }
  }

  /** Grows the range (doubling, one side at a time) until it covers [mn, mx]. */
  private cover(mn: number, mx: number): void {
    if (this.hi === this.lo) {
      // first data: the range spans [min(0, mn), max(0, mx)] (never empty)
      this.lo = Math.min(0, mn);
      this.hi = Math.max(0, mx);
      if (this.hi - this.lo < 1e-12) this.hi = this.lo + 1e-12;
      // a touch of headroom so the maximum does not sit on the open edge
      this.hi += (this.hi - this.lo) * 1e-6;
      return;
    }
    while (mn < this.lo || mx >= this.hi) {
      const w = this.hi - this.lo;
      const half = this.size / 2;
      const b = this.bins;
      if (mn < this.lo) {
        // new range [lo − w, hi): old bins merge pairwise into the upper half
        for (let i = this.size - 1; i >= half; i--) {
          const j = 2 * (i - half);
          b[i] = b[j]! + b[j + 1]!;
        }
        b.fill(0, 0, half);
        this.lo -= w;
      } else {
        // new range [lo, hi + w): old bins merge pairwise into the lower half
        for (let i = 0; i < half; i++) b[i] = b[2 * i]! + b[2 * i + 1]!;
        b.fill(0, half);
        this.hi += w;
      }
    }
  }

  /** Lower edge of bin i (i may be `size` for the top edge). */
  edge(i: number): number {
    return this.lo + (i * (this.hi - this.lo)) / this.size;
  }

  /** The value below which a fraction `q` of the counted values lie (linear within a bin). */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const target = Math.min(Math.max(q, 0), 1) * this.count;
    let acc = 0;
    for (let i = 0; i < this.size; i++) {
      const c = this.bins[i]!;
      if (acc + c >= target && c > 0) {
        const v = this.edge(i) + ((target - acc) / c) * this.binWidth;
        return Math.min(Math.max(v, this.min), this.max);
      }
      acc += c;
    }
    return this.max;
  }

  /** Fraction of the counted values outside [lo, hi] (counts within a bin assumed uniform). */
  fractionOutside(lo: number, hi: number): number {
    if (this.count === 0) return 0;
    return (this.massBelow(lo) + (this.count - this.massBelow(hi))) / this.count;
  }

  /** Count of values below `x` (uniform within a bin). */
  massBelow(x: number): number {
    if (x <= this.min) return 0;
    if (x >= this.max) return this.count;
    const w = this.binWidth;
    const pos = (x - this.lo) / w;
    const full = Math.floor(pos);
    let acc = 0;
    for (let i = 0; i < full && i < this.size; i++) acc += this.bins[i]!;
    if (full < this.size) acc += this.bins[full]! * (pos - full);
    return acc;
  }
}
