import type { FloatImage } from '../../data/image.js';
import { checkAlphaPair } from './alpha-pair.js';

/**
 * SAD: Σ |pred − gt| over the region (default: every pixel), alpha in [0, 1],
 * reported in thousands (/1000) as the matting papers do.
 */
export function sad(pred: FloatImage, gt: FloatImage, region?: Uint8Array): number {
  checkAlphaPair(pred, gt, region, 'SAD');
  let s = 0;
  for (let i = 0; i < pred.data.length; i++) if (!region || region[i]) s += Math.abs(pred.data[i]! - gt.data[i]!);
  return s / 1000;
}
