/**
 * Shared by the entropy and MSE observers: choose the clipping window
 * [edge(a), edge(b)] of a histogram (a ≤ zero edge ≤ b, so 0 stays inside)
 * that minimises a cost, by coordinate descent over the two edges (each pass
 * tries up to `steps` evenly spaced candidates per side, then refines around
 * the best).
 */
import type { StreamingHistogram } from './histogram.js';

export type WindowCost = (a: number, b: number) => number;

export interface Window {
  a: number;
  b: number;
}

/** Bin-index bounds of the observed data and of the 0 edge. */
export function occupied(h: StreamingHistogram): { first: number; last: number; zero: number } {
  const w = h.binWidth;
  const zero = Math.min(h.size, Math.max(0, Math.round(-h.lo / w)));
  let first = 0;
  while (first < h.size && h.bins[first] === 0) first++;
  let last = h.size;
  while (last > 0 && h.bins[last - 1] === 0) last--;
  return { first: Math.min(first, zero), last: Math.max(last, zero), zero };
}

function candidates(from: number, to: number, steps: number): number[] {
  const out = new Set<number>();
  const span = to - from;
  if (span <= 0) return [from];
  const n = Math.min(steps, span);
  for (let i = 0; i <= n; i++) out.add(from + Math.round((i * span) / n));
  return [...out];
}

export function searchWindow(h: StreamingHistogram, cost: WindowCost, opts: { minWidth?: number; steps?: number; passes?: number } = {}): Window {
  const { first, last, zero } = occupied(h);
  const minWidth = opts.minWidth ?? 1;
  const steps = opts.steps ?? 128;
  let a = first;
  let b = last;
  let best = cost(a, b);
  const tryEdge = (side: 'a' | 'b', cands: number[]) => {
    for (const c of cands) {
      const na = side === 'a' ? c : a;
      const nb = side === 'b' ? c : b;
      if (nb - na < minWidth) continue;
      const v = cost(na, nb);
      if (v < best) {
        best = v;
        a = na;
        b = nb;
      }
    }
  };
  for (let pass = 0; pass < (opts.passes ?? 2); pass++) {
    tryEdge('b', candidates(Math.max(zero, first + 1), last, steps));
    if (first < zero) tryEdge('a', candidates(first, zero, steps));
  }
  // refine each edge around its best coarse value, bin by bin
  const radius = Math.ceil((last - first) / steps) + 1;
  tryEdge('b', candidates(Math.max(zero, b - radius), Math.min(last, b + radius), 2 * radius));
  if (first < zero) tryEdge('a', candidates(Math.max(first, a - radius), Math.min(zero, a + radius), 2 * radius));
  return { a, b };
}
