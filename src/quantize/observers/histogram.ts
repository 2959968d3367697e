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

export const DEFAULT_BINS = 2048;

/** Values binned per batch at most (larger batches are subsampled; extremes stay exact). */
export const DEFAULT_SAMPLE_LIMIT = 1 << 16;

let subsample = new Float32Array(0);

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

  /** Adds `data`: every finite value, or (longer than sampleLimit) exact extremes plus a binned subsample. */
  add(data: ArrayLike<number>): void {
    const len = data.length;
    if (len <= this.sampleLimit) return this.addAll(data);
    let a = Infinity;
    let b = -Infinity;
    for (let k = 0; k < len; k++) {
      const v = data[k]!;
      if (v < a && v !== -Infinity) a = v;
      if (v > b && v !== Infinity) b = v;
    }
    if (!(a <= b)) return; // no finite value
    this.cover(a, b);
    const k = this.sampleLimit;
    if (subsample.length < k) subsample = new Float32Array(k);
    const stride = len / k;
    let x = this.rng;
    for (let j = 0; j < k; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const i = Math.min(len - 1, Math.floor((j + (x >>> 0) / 4294967296) * stride));
      subsample[j] = data[i]!;
    }
    this.rng = x;
    this.addAll(subsample.subarray(0, k));
    if (a < this.min) this.min = a;
    if (b > this.max) this.max = b;
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

  /** Adds every finite value of `data` (one pass; the range grows when a value falls outside). */
  private addAll(data: ArrayLike<number>): void {
    const values = data instanceof Float32Array ? data : Float32Array.from(data as ArrayLike<number>);
    const len = values.length;
    if (this.hi === this.lo) {
      // the first batch's finite extremes set the range exactly (later batches grow it)
      let a = Infinity;
      let b = -Infinity;
      for (let k = 0; k < len; k++) {
        const v = values[k]!;
        if (v === Infinity || v === -Infinity) continue;
        if (v < a) a = v;
        if (v > b) b = v;
      }
      if (!(a <= b)) return; // no finite value yet
      this.cover(a, b);
    }
    const bins = this.bins;
    const last = this.size - 1;
    let lo = this.lo;
    let hi = this.hi;
    let inv = this.size / (hi - lo);
    let mn = this.min;
    let mx = this.max;
    let n = 0;
    // counts go to an int32 scratch (integer increments, no float store/load chain when many values
    // share a bin, e.g. a ReLU's zeros) and are folded into the float64 bins before any range change
    const counts = scratchCounts(this.size);
    const flush = () => {
      for (let b = 0; b <= last; b++) {
        if (counts[b]) {
          bins[b]! += counts[b]!;
          counts[b] = 0;
        }
      }
    };
    for (let i = 0; i < len; i++) {
      const v = values[i]!;
      if (!(v >= lo && v < hi)) {
        // NaN, ±Inf are skipped; a finite value outside grows the range (bins merge pairwise)
        if (v !== v || v === Infinity || v === -Infinity) continue;
        flush();
        this.cover(v, v);
        lo = this.lo;
        hi = this.hi;
        inv = this.size / (hi - lo);
      }
      if (v < mn) mn = v;
      if (v > mx) mx = v;
      let b = ((v - lo) * inv) | 0;
      if (b > last) b = last;
      counts[b]!++;
      n++;
    }
    flush();
    this.count += n;
    this.min = mn;
    this.max = mx;
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
