/**
 * A streamed histogram with a bounded number of bins (2048 by default) whose
 * range always includes 0 and grows by doubling: when a value falls outside,
 * the range is extended on that side to twice its width and adjacent bin pairs
 * are merged, so counts already collected stay exact per (coarser) bin. Two
 * histograms whose ranges grew from one starting range (`seed`) share a grid,
 * so one merges into the other exactly (calibration's sample streams).
 * A batch longer than `sampleLimit` values has its exact extremes taken over
 * every value, its tails (the values outside thresholds at the TAIL_FRACTION
 * quantiles of what came before) binned exactly, and its middle represented by
 * a stratified random subsample (one value drawn from each of k equal strides),
 * each weighted by middle count / drawn: k = `sampleLimit` for the first
 * EARLY_BATCHES large batches, a quarter of it after, when the middle already
 * holds that many draws (100 calibration samples draw 4 × 4096 + 96 × 1024).
 * So the cost per batch stays bounded on large activations while the extreme
 * quantiles that clipping ranges come from are counted value by value.
 */
import { internalError } from '../../core/errors.js';
import { range, runRange, runRangeOutside, SIMD_RUN } from './simd-range.js';

export const DEFAULT_BINS = 2048;

/** Middle values binned per batch at most (larger batches are subsampled; extremes and tails stay exact). */
export const DEFAULT_SAMPLE_LIMIT = 1 << 12;

/** Large batches that draw `sampleLimit` middle values; later ones draw a quarter of that. */
export const EARLY_BATCHES = 4;

/**
 * Fraction of the values on each side binned exactly in a subsampled batch: 20× the 0.005 % a
 * 99.99 % percentile clips, so its quantiles are read off exact counts.
 */
export const TAIL_FRACTION = 1 / 1024;

/** The tail values of the last large batch (shared by every histogram: adds never interleave). */
let tails = new Float32Array(1024);
let tailCount = 0;
/** Values of the last large batch outside the thresholds (tails, NaN and ±Inf). */
let outside = 0;

/** The subsample drawn from the last large batch (shared by every histogram: adds never interleave). */
let drawnValues = new Float32Array(0);
/** The indices of that subsample's values, and how many of them lie within the thresholds it was drawn with. */
let drawnAt = new Int32Array(0);
let drawnInside = 0;

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

/** Appends `v` to `tails` (when finite) and counts it in `outside`. */
function pushOutside(v: number): void {
  outside++;
  if (tailCount === tails.length) {
    const grown = new Float32Array(tails.length * 2);
    grown.set(tails);
    tails = grown;
  }
  tails[tailCount++] = v;
}

export class StreamingHistogram {
  readonly bins: Float64Array;
  /** Range covered by the bins: [lo, hi), bin width (hi − lo) / bins. */
  lo = 0;
  hi = 0;
  /** Exact extremes seen, and the number of finite values the bins represent (their sum). */
  min = Infinity;
  max = -Infinity;
  count = 0;
  /** Large (subsampled) batches added so far. */
  private largeBatches = 0;
  /** The range the first data (or `seed`) set, before any doubling. */
  initial?: readonly [number, number];
  /** xorshift32 state of the subsample draw (seeded: the same data gives the same histogram) */
  private rng = 0x9e3779b9;
  /** Values outside [tailLo, tailHi] of a subsampled batch are binned exactly (set after the first one). */
  private tailLo = NaN;
  private tailHi = NaN;

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
   * then every finite value is binned, or (longer than sampleLimit) its tails exactly and a
   * weighted stratified subsample of its middle.
   */
  add(data: ArrayLike<number>): void {
    const values = data instanceof Float32Array ? data : Float32Array.from(data);
    if (values.length <= this.sampleLimit) {
      const [a, b] = finiteRange(values);
      if (!(a <= b)) return; // no finite value
      this.widen(a, b);
      this.count += this.bin(values, 1, -Infinity, Infinity);
      return;
    }
    const first = Number.isNaN(this.tailLo);
    // the first large batch sets its thresholds from its own subsample, then collects its tails
    const [a, b] = this.drawSubsample(values, first ? -Infinity : this.tailLo, first ? Infinity : this.tailHi);
    if (!(a <= b)) return;
    const drawn = drawnValues.subarray(0, this.draws());
    this.largeBatches++;
    if (first) {
      const sorted = drawn.filter(Number.isFinite).sort();
      const f = Math.floor(sorted.length * TAIL_FRACTION);
      this.tailLo = sorted[f] ?? a;
      this.tailHi = sorted[sorted.length - 1 - f] ?? b;
      tailCount = outside = 0;
      for (let c0 = 0; c0 < values.length; c0 += SIMD_RUN) runRangeOutside(values, c0, Math.min(values.length, c0 + SIMD_RUN), this.tailLo, this.tailHi, pushOutside);
    }
    this.widen(a, b);
    const exact = this.bin(tails.subarray(0, tailCount), 1, -Infinity, Infinity);
    // drawn middle values stand for every value inside the thresholds
    let inside = drawnInside;
    if (first) {
      inside = 0;
      for (let i = 0; i < drawn.length; i++) if (drawn[i]! >= this.tailLo && drawn[i]! <= this.tailHi) inside++;
    }
    const middle = values.length - outside;
    if (inside > 0) this.bin(drawn, middle / inside, this.tailLo, this.tailHi);
    this.count += exact + (inside > 0 ? middle : 0);
    // the next thresholds: the outer edges of the bins holding the TAIL_FRACTION quantiles (a point
    // mass, such as the zeros of a ReLU, stays inside), widened by a sliver of a bin so float32
    // rounding (the SIMD scan compares in float32) never moves an edge inward
    const w = this.binWidth;
    const [below, above] = this.tailBins(TAIL_FRACTION * this.count);
    this.tailLo = Math.fround(this.edge(below) - w / 1024);
    this.tailHi = Math.fround(this.edge(above + 1) + w / 1024);
  }

  /**
   * The bins holding the TAIL_FRACTION and 1 − TAIL_FRACTION quantiles: walking in from each end,
   * the first non-empty bin at which the mass walked reaches `mass`.
   */
  private tailBins(mass: number): [number, number] {
    const b = this.bins;
    let below = 0;
    for (let acc = 0; below < this.size - 1; below++) if (b[below]! > 0 && (acc += b[below]!) >= mass) break;
    let above = this.size - 1;
    for (let acc = 0; above > 0; above--) if (b[above]! > 0 && (acc += b[above]!) >= mass) break;
    return [below, above];
  }

  private widen(a: number, b: number): void {
    this.cover(a, b);
    if (a < this.min) this.min = a;
    if (b > this.max) this.max = b;
  }

  state(): HistogramState {
    return { size: this.size, sampleLimit: this.sampleLimit, bins: this.bins, lo: this.lo, hi: this.hi, min: this.min, max: this.max, count: this.count };
  }

  static fromState(s: HistogramState): StreamingHistogram {
    const h = new StreamingHistogram(s.size, s.sampleLimit);
    h.load(s);
    return h;
  }

  /** Takes the bins, range and counts of `s` (a histogram of the same size). */
  load(s: HistogramState): void {
    if (s.size !== this.size) throw internalError(`histogram of ${s.size} bins loaded into one of ${this.size}`);
    this.bins.set(s.bins);
    Object.assign(this, { lo: s.lo, hi: s.hi, min: s.min, max: s.max, count: s.count });
  }

  /**
   * Adds the values `s` (another histogram of the same size) counted. Where the two grids share bin
   * edges (both grew from one seed), this range doubles until its bins are at least as wide as s's
   * and cover s's values, and each of s's bins falls whole into one of this histogram's: the merge
   * is exact. Otherwise each of s's bins is spread over this histogram's bins in proportion to
   * their overlap with the part of it inside [s.min, s.max] (uniform within a bin).
   */
  merge(s: HistogramState): void {
    if (s.size !== this.size) throw internalError(`histogram of ${s.size} bins merged into one of ${this.size}`);
    if (s.count === 0) return;
    if (this.count === 0 && this.hi === this.lo) {
      this.load(s);
      return;
    }
    const ws = (s.hi - s.lo) / s.size;
    this.widen(s.min, s.max);
    while (this.binWidth < ws * (1 - 1e-9)) this.double(s.lo < this.lo);
    const b = this.bins;
    const last = this.size - 1;
    const w = this.binWidth;
    const ratio = w / ws;
    const offset = (s.lo - this.lo) / ws;
    const near = (x: number) => Math.abs(x - Math.round(x)) < 1e-6;
    if (near(ratio) && Number.isInteger(Math.log2(Math.round(ratio))) && near(offset)) {
      // each of s's bins lies inside one of these: the one holding its centre
      for (let i = 0; i < s.size; i++) if (s.bins[i]) b[Math.min(last, Math.max(0, Math.floor((s.lo + (i + 0.5) * ws - this.lo) / w)))]! += s.bins[i]!;
    } else {
      const inv = this.size / (this.hi - this.lo);
      for (let i = 0; i < s.size; i++) {
        const c = s.bins[i]!;
        if (!c) continue;
        const from = (Math.max(s.lo + i * ws, s.min) - this.lo) * inv;
        const to = (Math.min(s.lo + (i + 1) * ws, s.max) - this.lo) * inv;
        if (!(to > from)) {
          b[Math.min(last, Math.max(0, Math.floor(from)))]! += c;
          continue;
        }
        for (let k = Math.max(0, Math.floor(from)); k < to && k <= last; k++) b[k]! += (c * (Math.min(k + 1, to) - Math.max(k, from))) / (to - from);
      }
    }
    this.count += s.count;
  }

  /**
   * This histogram with every value clamped to [lo, hi] (what a RELU-family activation makes of
   * it): the counts of bins below lo move into lo's bin, those above hi into hi's bin.
   */
  clamped(lo: number, hi: number): StreamingHistogram {
    const h = StreamingHistogram.fromState(this.state());
    const b = h.bins;
    const binOf = (x: number) => Math.min(this.size - 1, Math.max(0, Math.floor((x - this.lo) / this.binWidth)));
    if (lo > this.lo) {
      const z = binOf(lo);
      for (let i = 0; i < z; i++) {
        b[z]! += b[i]!;
        b[i] = 0;
      }
    }
    if (hi < this.hi) {
      const z = binOf(hi);
      for (let i = z + 1; i < this.size; i++) {
        b[z]! += b[i]!;
        b[i] = 0;
      }
    }
    h.min = Math.min(Math.max(this.min, lo), hi);
    h.max = Math.min(Math.max(this.max, lo), hi);
    return h;
  }

  get binWidth(): number {
    return (this.hi - this.lo) / this.size;
  }

  /**
   * Bins each finite value of `values` within [keepLo, keepHi] (the range already covers them)
   * with weight `weight`; returns how many values were binned.
   */
  private bin(values: Float32Array, weight: number, keepLo: number, keepHi: number): number {
    const lo = this.lo;
    const hi = this.hi;
    const inv = this.size / (hi - lo);
    const last = this.size - 1;
    const len = values.length;
    const bins = this.bins;
    let n = 0;
    if (2 * len < this.size) {
      // fewer values than bins: each adds its weight straight into its bin
      for (let i = 0; i < len; i++) {
        const v = values[i]!;
        if (!(v >= lo && v < hi && v >= keepLo && v <= keepHi)) continue; // NaN, ±Inf, outside the kept span
        const b = ((v - lo) * inv) | 0;
        bins[b > last ? last : b]! += weight;
        n++;
      }
      return n;
    }
    // many values: integer counts first, then the bins they touched
    const counts = scratchCounts(this.size);
    let first = last;
    let end = 0;
    for (let i = 0; i < len; i++) {
      const v = values[i]!;
      if (!(v >= lo && v < hi && v >= keepLo && v <= keepHi)) continue;
      let b = ((v - lo) * inv) | 0;
      if (b > last) b = last;
      counts[b]!++;
      if (b < first) first = b;
      if (b >= end) end = b + 1;
      n++;
    }
    for (let b = first; b < end; b++) {
      if (counts[b]) {
        bins[b]! += counts[b]! * weight;
        counts[b] = 0;
      }
    }
    return n;
  }


  /** Middle values the next large batch draws. */
  private draws(): number {
    return this.largeBatches < EARLY_BATCHES ? this.sampleLimit : Math.max(1, this.sampleLimit >> 2);
  }

  /**
   * One pass over `values` in runs of SIMD_RUN: the finite extremes of every value, into
   * `drawnValues` one value from each of `sampleLimit` equal strides (at a random offset), and into
   * `tails` every value outside [tLo, tHi] (found by the same SIMD scan; NaN and ±Inf counted in
   * `outside`, not binned), each read while its run is still in cache. Returns the finite extremes.
   */
  private drawSubsample(values: Float32Array, tLo: number, tHi: number): [number, number] {
    const len = values.length;
    const k = this.draws();
    const stride = len / k;
    if (drawnValues.length < k) {
      drawnValues = new Float32Array(k);
      drawnAt = new Int32Array(k);
    }
    // stratum j's index: one xorshift32 draw within [j·stride, (j+1)·stride) (len < 2³¹)
    let x = this.rng;
    const last = len - 1;
    for (let j = 0; j < k; j++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const at = ((j + (x >>> 0) * 2.3283064365386963e-10) * stride) | 0;
      drawnAt[j] = at < last ? at : last;
    }
    this.rng = x;
    drawnInside = 0;
    tailCount = outside = 0;
    let a = Infinity;
    let b = -Infinity;
    let j = 0;
    for (let c0 = 0; c0 < len; c0 += SIMD_RUN) {
      const c1 = Math.min(len, c0 + SIMD_RUN);
      if (tLo === -Infinity && tHi === Infinity) runRange(values, c0, c1);
      else runRangeOutside(values, c0, c1, tLo, tHi, pushOutside);
      if (range.lo < a) a = range.lo;
      if (range.hi > b) b = range.hi;
      for (; j < k; j++) {
        const at = drawnAt[j]!;
        if (at >= c1) break;
        const v = values[at]!;
        drawnValues[j] = v;
        if (v >= tLo && v <= tHi) drawnInside++;
      }
    }
    return a === -Infinity || b === Infinity ? finiteRangeSkippingInfinity(values) : [a, b];
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
      this.initial = [this.lo, this.hi];
      return;
    }
    while (mn < this.lo || mx >= this.hi) this.double(mn < this.lo);
  }

  /** Doubles the range toward the left (`left`) or the right; adjacent old bins merge in pairs. */
  private double(left: boolean): void {
    const w = this.hi - this.lo;
    const half = this.size / 2;
    const b = this.bins;
    if (left) {
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

  /**
   * Starts an empty histogram on the range [lo, hi) (another's `initial`), as if its first data had
   * set it: two histograms seeded alike keep bin edges in common however their ranges grow.
   */
  seed([lo, hi]: readonly [number, number]): void {
    if (this.count > 0 || this.hi !== this.lo) throw internalError('only an empty histogram can be seeded');
    this.lo = lo;
    this.hi = hi;
    this.initial = [lo, hi];
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
