import type { FloatImage } from '../../data/image.js';
import { checkAlphaPair } from './alpha-pair.js';
import { gaussGradientMagnitude } from './gauss-gradient.js';

/**
 * Grad: Σ_region (|∇G_σ pred| − |∇G_σ gt|)², alpha in [0, 1], Gaussian first
 * derivatives with σ = 1.4 (see gauss-gradient.ts), reported /1000.
 */
export function grad(pred: FloatImage, gt: FloatImage, region?: Uint8Array, sigma = 1.4): number {
  checkAlphaPair(pred, gt, region, 'Grad');
  const gp = gaussGradientMagnitude(pred.data, pred.width, pred.height, sigma);
  const gg = gaussGradientMagnitude(gt.data, gt.width, gt.height, sigma);
  let s = 0;
  for (let i = 0; i < gp.length; i++) {
    if (region && !region[i]) continue;
    const d = gp[i]! - gg[i]!;
    s += d * d;
  }
  return s / 1000;
}
