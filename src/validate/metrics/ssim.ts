import { assertSameSize, type FloatImage } from '../../data/image.js';
import { DEFAULT_BORDER_CROP } from './psnr.js';
import { inputError } from '../../core/errors.js';

/**
 * SSIM as Wang et al. (2004) define it: Gaussian window 11×11, σ = 1.5
 * (normalised to sum 1), K1 = 0.01, K2 = 0.03, dynamic range L = 1 (images in
 * [0, 1]); local statistics only where the window fits inside the image
 * ("valid", as their reference implementation), and the SSIM map averaged.
 * Colour: computed per channel and the per-channel means averaged (as
 * tf.image.ssim and scikit-image with channel_axis do). `crop` drops border
 * pixels first, like PSNR.
 */
export function ssim(pred: FloatImage, gt: FloatImage, crop = DEFAULT_BORDER_CROP): number {
  assertSameSize(pred, gt, 'SSIM');
  const size = 11;
  const sigma = 1.5;
  const half = (size - 1) / 2;
  const w1 = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) sum += w1[i] = Math.exp(-((i - half) ** 2) / (2 * sigma * sigma));
  for (let i = 0; i < size; i++) w1[i]! /= sum;
  const C1 = (0.01 * 1) ** 2;
  const C2 = (0.03 * 1) ** 2;
  const { width: W, height: H, channels: C } = pred;
  const w = W - 2 * crop;
  const h = H - 2 * crop;
  if (!Number.isInteger(crop) || crop < 0 || w < size || h < size) throw inputError('unsupported-shape', `SSIM: a ${W}×${H} image with border crop ${crop} is smaller than the 11×11 window`);
  const ow = w - size + 1;
  const oh = h - size + 1;
  // separable filtering of the five moment images
  const filterValid = (src: Float64Array): Float64Array => {
    const tmp = new Float64Array(ow * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < ow; x++) {
        let a = 0;
        for (let k = 0; k < size; k++) a += w1[k]! * src[y * w + x + k]!;
        tmp[y * ow + x] = a;
      }
    const out = new Float64Array(ow * oh);
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++) {
        let a = 0;
        for (let k = 0; k < size; k++) a += w1[k]! * tmp[(y + k) * ow + x]!;
        out[y * ow + x] = a;
      }
    return out;
  };
  let total = 0;
  for (let ch = 0; ch < C; ch++) {
    const x = new Float64Array(w * h);
    const y = new Float64Array(w * h);
    for (let r = 0; r < h; r++)
      for (let c = 0; c < w; c++) {
        const i = ((r + crop) * W + c + crop) * C + ch;
        x[r * w + c] = pred.data[i]!;
        y[r * w + c] = gt.data[i]!;
      }
    const xx = x.map((v) => v * v);
    const yy = y.map((v) => v * v);
    const xy = x.map((v, i) => v * y[i]!);
    const mx = filterValid(x);
    const my = filterValid(y);
    const sxx = filterValid(xx);
    const syy = filterValid(yy);
    const sxy = filterValid(xy);
    let m = 0;
    for (let i = 0; i < mx.length; i++) {
      const ux = mx[i]!;
      const uy = my[i]!;
      const vx = sxx[i]! - ux * ux;
      const vy = syy[i]! - uy * uy;
      const cxy = sxy[i]! - ux * uy;
      m += ((2 * ux * uy + C1) * (2 * cxy + C2)) / ((ux * ux + uy * uy + C1) * (vx + vy + C2));
    }
    total += m / mx.length;
  }
  return total / C;
}
