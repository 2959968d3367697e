/**
 * The matting "unknown" region, defined deterministically.
 *
 * Upstream (MatteFormer's evaluation.py, copied by the FaceMat predecessor)
 * builds a trimap by eroding the definite foreground (α = 1) and definite
 * background (α = 0) of the ground truth with an elliptical kernel of RANDOM
 * size 1..29, and measures inside what is left. That is not reproducible.
 *
 * We erode with a fixed k×k square instead (k = 15 by default, the middle of
 * the upstream range): a pixel is *known* when every pixel of its k×k window
 * (clipped at the image border) is definite foreground, or every one is
 * definite background; all other pixels are *unknown*. Equivalently
 * unknown = dilate(α < 1) ∧ dilate(α > 0). Every 0 < α < 1 pixel is unknown,
 * and a hard-edged mask gets a band of width ≈ k around its edges.
 * "Definite" tolerates float noise of 1e-6 (α from an 8-bit PNG is exact).
 */
import type { FloatImage } from '../../data/image.js';
import { inputError } from '../../core/errors.js';

export const DEFAULT_UNKNOWN_KERNEL = 15;

/**
 * Along one axis of a 0/1 mask: 1 where any cell of the window [j − r, j + r] is set (a running
 * count). The mask is `lines` lines of `len` cells; cell j of line l sits at l·lineStep + j·step.
 */
function dilateAxis(src: Uint8Array, len: number, lines: number, step: number, lineStep: number, r: number): Uint8Array {
  const dst = new Uint8Array(src.length);
  for (let l = 0; l < lines; l++) {
    const base = l * lineStep;
    let count = 0;
    for (let j = 0; j <= Math.min(r, len - 1); j++) count += src[base + j * step]!;
    for (let j = 0; j < len; j++) {
      dst[base + j * step] = count > 0 ? 1 : 0;
      const add = j + r + 1;
      const drop = j - r;
      if (add < len) count += src[base + add * step]!;
      if (drop >= 0) count -= src[base + drop * step]!;
    }
  }
  return dst;
}

/** Sliding k-window maximum of a 0/1 mask along rows then columns (= dilation by a k×k square). */
function dilate(mask: Uint8Array, w: number, h: number, k: number): Uint8Array {
  const r = (k - 1) >> 1;
  return dilateAxis(dilateAxis(mask, w, h, 1, w, r), h, w, w, 1, r);
}

/** 1 = unknown, 0 = known; from a single-channel ground-truth alpha in [0, 1]. `k` must be odd and ≥ 1. */
export function unknownRegion(gt: FloatImage, k = DEFAULT_UNKNOWN_KERNEL): Uint8Array {
  if (gt.channels !== 1) throw inputError('shape-mismatch', `unknownRegion: alpha must have 1 channel, got ${gt.channels}`);
  if (!Number.isInteger(k) || k < 1 || k % 2 === 0) throw inputError('bad-option', `unknownRegion: kernel size must be an odd integer ≥ 1, got ${k}`);
  const n = gt.width * gt.height;
  const notFg = new Uint8Array(n);
  const notBg = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = gt.data[i]!;
    notFg[i] = a < 1 - 1e-6 ? 1 : 0;
    notBg[i] = a > 1e-6 ? 1 : 0;
  }
  const a = dilate(notFg, gt.width, gt.height, k);
  const b = dilate(notBg, gt.width, gt.height, k);
  for (let i = 0; i < n; i++) a[i] = a[i]! & b[i]!;
  return a;
}

export function regionSize(region: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < region.length; i++) n += region[i]!;
  return n;
}
