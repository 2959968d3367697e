/**
 * Histograms of values computed from already-histogrammed values, without
 * seeing the values: an element-wise function of one activation (each input bin
 * mapped through the function) and the union of several activations (their
 * bins merged, as a CONCATENATION's output holds exactly its inputs' values).
 *
 * A bin's count is taken as spread uniformly over the bin, with the first and
 * last occupied bins cut to the exact extremes; each piece of a bin between the
 * function's breakpoints (its kinks and turning points) is monotone, and its
 * count is spread uniformly over its image. So the result's extremes are exact
 * where they are the images of the input's extremes (a function monotone on the
 * observed span), and otherwise, like every quantile, exact to within the image
 * of one input bin (plus one output bin for the re-binning). Images are rounded
 * to float32 as the kernels' are; a piece whose image overflows float32 is
 * dropped whole. A source histogram's own sampling error (a subsampled middle)
 * carries over.
 */
import { StreamingHistogram } from './observers/histogram.js';

/** `mass` values spread uniformly over [a, b] (a ≤ b). */
interface Piece {
  a: number;
  b: number;
  mass: number;
}

/** An element-wise function and the points where it stops being monotone or smooth. */
export interface ElementwiseFn {
  f(x: number): number;
  breaks: readonly number[];
}

/** The occupied bins of `h` as pieces, the outer ones cut to the exact extremes. */
function piecesOf(h: StreamingHistogram): Piece[] {
  const out: Piece[] = [];
  if (h.count === 0) return out;
  for (let i = 0; i < h.size; i++) {
    const mass = h.bins[i]!;
    if (!(mass > 0)) continue;
    const a = Math.min(Math.max(h.edge(i), h.min), h.max);
    const b = Math.max(Math.min(h.edge(i + 1), h.max), a);
    out.push({ a, b, mass });
  }
  return out;
}

/**
 * A histogram (of `size` bins) of the values the pieces stand for: its range is the one a histogram
 * that first saw the pieces' extremes takes, and each piece's mass is spread over the bins it
 * overlaps in proportion to the overlap (all of it into one bin when the piece is a point).
 */
function histogramOf(pieces: Piece[], size: number, sampleLimit: number): StreamingHistogram {
  const h = new StreamingHistogram(size, sampleLimit);
  let min = Infinity;
  let max = -Infinity;
  for (const p of pieces) {
    if (p.a < min) min = p.a;
    if (p.b > max) max = p.b;
  }
  if (!(min <= max)) return h;
  // the range and exact extremes of a histogram that saw the extremes first; then their counts are dropped
  h.add(Float64Array.of(min, max));
  h.bins.fill(0);
  h.count = 0;
  h.min = min;
  h.max = max;
  const inv = size / (h.hi - h.lo);
  const binOf = (v: number) => Math.min(size - 1, Math.max(0, Math.floor((v - h.lo) * inv)));
  for (const { a, b, mass } of pieces) {
    const i = binOf(a);
    const j = binOf(b);
    h.count += mass;
    if (i === j) {
      h.bins[i]! += mass;
      continue;
    }
    const perUnit = mass / (b - a);
    h.bins[i]! += (h.edge(i + 1) - a) * perUnit;
    for (let k = i + 1; k < j; k++) h.bins[k]! += (h.edge(k + 1) - h.edge(k)) * perUnit;
    h.bins[j]! += (b - h.edge(j)) * perUnit;
  }
  return h;
}

/** False for NaN and for values a float32 kernel overflows to ±Infinity. */
const finite32 = (v: number) => Number.isFinite(Math.fround(v));

/**
 * The histogram of f(x) over the values x histogrammed by `h`. Pieces with an image that is not
 * finite in float32 are dropped, as observing the kernel's NaN / ±Inf outputs drops them.
 */
export function mapHistogram(h: StreamingHistogram, fn: ElementwiseFn): StreamingHistogram {
  const out: Piece[] = [];
  const push = (a: number, b: number, mass: number) => {
    // rounded as the float32 kernel's result is
    const fa = Math.fround(fn.f(a));
    const fb = Math.fround(fn.f(b));
    if (finite32(fa) && finite32(fb)) out.push(fa <= fb ? { a: fa, b: fb, mass } : { a: fb, b: fa, mass });
  };
  for (const { a, b, mass } of piecesOf(h)) {
    if (a === b) {
      push(a, a, mass);
      continue;
    }
    // monotone sub-pieces between the breakpoints inside the bin, each with its share of the mass
    let from = a;
    for (const x of fn.breaks) {
      if (x <= from || x >= b) continue;
      push(from, x, (mass * (x - from)) / (b - a));
      from = x;
    }
    push(from, b, (mass * (b - from)) / (b - a));
  }
  return histogramOf(out, h.size, h.sampleLimit);
}

/** The histogram of every value of every one of `hs` (of one size) together. */
export function mergeHistograms(hs: readonly StreamingHistogram[]): StreamingHistogram {
  const first = hs[0] ?? new StreamingHistogram();
  return histogramOf(hs.flatMap(piecesOf), first.size, first.sampleLimit);
}
