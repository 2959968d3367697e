import type { FloatImage } from '../../data/image.js';
import { checkAlphaPair } from './alpha-pair.js';

/**
 * MSE: mean of (pred − gt)² over the region's pixels (default: every pixel),
 * alpha in [0, 1], not rescaled (MatteFormer/FaceMat-predecessor convention:
 * Σ_region d² / (#region + 1e-8), so an empty region gives 0).
 */
export function mse(pred: FloatImage, gt: FloatImage, region?: Uint8Array): number {
  checkAlphaPair(pred, gt, region, 'MSE');
  let s = 0;
  let n = 0;
  for (let i = 0; i < pred.data.length; i++) {
    if (region && !region[i]) continue;
    const d = pred.data[i]! - gt.data[i]!;
    s += d * d;
    n++;
  }
  return s / (n + 1e-8);
}
