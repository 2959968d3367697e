/**
 * One-sided Mann-Whitney U test, computed as scipy.stats.mannwhitneyu does:
 * U of the first sample; 'greater' asks whether x tends to be larger than y.
 * Method 'auto' (scipy's rule): exact when either sample has ≤ 8 values and
 * there are no ties, else the normal approximation with tie correction and
 * continuity correction.
 */
import { normalSf } from './normal.js';

export type Alternative = 'greater' | 'less';
export type MwuMethod = 'auto' | 'exact' | 'asymptotic';

export interface MwuResult {
  /** U statistic of x */
  u: number;
  p: number;
  method: 'exact' | 'asymptotic';
}

/** Mid-ranks (1-based) of the pooled sample, and Σ(t³ − t) over tie groups. */
function ranks(pooled: readonly number[]): { r: Float64Array; tieTerm: number } {
  const idx = pooled.map((_, i) => i).sort((a, b) => pooled[a]! - pooled[b]!);
  const r = new Float64Array(pooled.length);
  let tieTerm = 0;
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && pooled[idx[j + 1]!] === pooled[idx[i]!]) j++;
    const mid = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[idx[k]!] = mid;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  return { r, tieTerm };
}

/** P(U ≥ u) under H0 for sample sizes m, n (no ties): the exact null distribution by recursion. */
export function exactUpperTail(m: number, n: number, u: number): number {
  // f[a][b] = distribution of U for sizes (a, b): P_{a,b}(k) = a/(a+b) P_{a-1,b}(k-b) + b/(a+b) P_{a,b-1}(k)
  let prev: Float64Array[] = Array.from({ length: n + 1 }, () => Float64Array.of(1)); // a = 0: U ≡ 0
  for (let a = 1; a <= m; a++) {
    const cur: Float64Array[] = [Float64Array.of(1)]; // b = 0: U ≡ 0
    for (let b = 1; b <= n; b++) {
      const d = new Float64Array(a * b + 1);
      const left = prev[b]!; // (a-1, b), shifted by b
      const down = cur[b - 1]!; // (a, b-1)
      for (let k = 0; k < left.length; k++) d[k + b]! += (a / (a + b)) * left[k]!;
      for (let k = 0; k < down.length; k++) d[k]! += (b / (a + b)) * down[k]!;
      cur.push(d);
    }
    prev = cur;
  }
  const dist = prev[n]!;
  let p = 0;
  for (let k = Math.max(0, Math.ceil(u - 1e-9)); k < dist.length; k++) p += dist[k]!;
  return Math.min(1, p);
}

export function mannWhitneyU(x: readonly number[], y: readonly number[], alternative: Alternative = 'greater', method: MwuMethod = 'auto'): MwuResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) return { u: NaN, p: NaN, method: 'asymptotic' };
  const { r, tieTerm } = ranks([...x, ...y]);
  let r1 = 0;
  for (let i = 0; i < n1; i++) r1 += r[i]!;
  const u1 = r1 - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const chosen = method !== 'auto' ? method : (n1 > 8 && n2 > 8) || tieTerm > 0 ? 'asymptotic' : 'exact';
  // 'less' is 'greater' with the roles of the U statistics swapped
  const u = alternative === 'greater' ? u1 : u2;
  if (chosen === 'exact') return { u: u1, p: exactUpperTail(n1, n2, u), method: 'exact' };
  const n = n1 + n2;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { u: u1, p: 1, method: 'asymptotic' };
  const z = (u - mu - 0.5) / sigma;
  return { u: u1, p: Math.min(1, normalSf(z)), method: 'asymptotic' };
}
