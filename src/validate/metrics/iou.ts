import type { FloatImage } from '../../data/image.js';
import { checkAlphaPair } from './alpha-pair.js';

/**
 * IoU of the masks (pred ≥ threshold) and (gt ≥ threshold) over the whole
 * image (threshold 0.5); 1 when both masks are empty.
 */
export function iou(pred: FloatImage, gt: FloatImage, threshold = 0.5): number {
  checkAlphaPair(pred, gt, undefined, 'IoU');
  let inter = 0;
  let union = 0;
  for (let i = 0; i < pred.data.length; i++) {
    const p = pred.data[i]! >= threshold;
    const g = gt.data[i]! >= threshold;
    if (p && g) inter++;
    if (p || g) union++;
  }
  return union === 0 ? 1 : inter / union;
}
