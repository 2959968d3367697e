import { assertSameSize, type FloatImage } from '../../data/image.js';
import { inputError } from '../../core/errors.js';

/** Pixels dropped at each border before PSNR / SSIM unless told otherwise (EBB!/MAI 2022 score full images). */
export const DEFAULT_BORDER_CROP = 0;

/**
 * PSNR in dB: 10·log10(1 / MSE), images in [0, 1] (peak 1), MSE over every
 * pixel and channel after dropping `crop` pixels at each of the four borders.
 * Infinity for identical images.
 */
export function psnr(pred: FloatImage, gt: FloatImage, crop = DEFAULT_BORDER_CROP): number {
  assertSameSize(pred, gt, 'PSNR');
  const { width: w, height: h, channels: c } = pred;
  if (!Number.isInteger(crop) || crop < 0 || 2 * crop >= Math.min(w, h)) throw inputError('bad-option', `PSNR: border crop ${crop} leaves nothing of a ${w}×${h} image`);
  let s = 0;
  let n = 0;
  for (let y = crop; y < h - crop; y++)
    for (let x = crop; x < w - crop; x++)
      for (let ch = 0; ch < c; ch++) {
        const i = (y * w + x) * c + ch;
        const d = pred.data[i]! - gt.data[i]!;
        s += d * d;
        n++;
      }
  const m = s / n;
  return m === 0 ? Infinity : 10 * Math.log10(1 / m);
}
