import type { FloatImage } from '../../data/image.js';
import { checkAlphaPair } from './alpha-pair.js';
import { largestComponent } from './largest-component.js';

/**
 * Conn (Rhemann et al. connectivity error), alpha in [0, 1], reported /1000.
 *
 * Thresholds t_k = k·step for k = 1..1/step (step 0.1 → 0.1, 0.2, …, 1.0).
 * Ω_k = largest 8-connected component of (pred ≥ t_k) ∧ (gt ≥ t_k). For each
 * pixel, l = t_{k−1} for the first k whose Ω_k does not contain it (t_0 = 0),
 * or 1 if it is in every Ω_k. With d = α − l, the degree of connectivity is
 * φ = 1 − d·[d ≥ cutoff]: a pixel whose α exceeds its connection level by
 * less than the cutoff (0.15) counts as fully connected (φ = 1).
 * Conn = Σ_region |φ(pred) − φ(gt)| / 1000.
 */
export function conn(pred: FloatImage, gt: FloatImage, region?: Uint8Array, step = 0.1, cutoff = 0.15): number {
  checkAlphaPair(pred, gt, region, 'Conn');
  const { width: w, height: h } = pred;
  const n = w * h;
  const level = new Float64Array(n).fill(-1);
  const steps = Math.round(1 / step);
  const both = new Uint8Array(n);
  for (let k = 1; k <= steps; k++) {
    const t = k * step;
    for (let i = 0; i < n; i++) both[i] = pred.data[i]! >= t && gt.data[i]! >= t ? 1 : 0;
    const omega = largestComponent(both, w, h);
    const prev = (k - 1) * step;
    for (let i = 0; i < n; i++) if (level[i] === -1 && !omega[i]) level[i] = prev;
  }
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (region && !region[i]) continue;
    const l = level[i] === -1 ? 1 : level[i]!;
    const dp = pred.data[i]! - l;
    const dg = gt.data[i]! - l;
    const phiP = 1 - (dp >= cutoff ? dp : 0);
    const phiG = 1 - (dg >= cutoff ? dg : 0);
    s += Math.abs(phiP - phiG);
  }
  return s / 1000;
}
