/**
 * A decoded image as the metrics and models see it: float32, row-major
 * H×W×C (interleaved channels), values in [0, 1].
 */
import { inputError, internalError } from '../core/errors.js';

export interface FloatImage {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

export function makeImage(width: number, height: number, channels: number, data?: Float32Array): FloatImage {
  const n = width * height * channels;
  if (data && data.length !== n) throw internalError(`image data has ${data.length} values, expected ${width}×${height}×${channels} = ${n}`);
  return { width, height, channels, data: data ?? new Float32Array(n) };
}

/** A copy with every value clamped to [0, 1]. */
export function clamp01(img: FloatImage): FloatImage {
  const out = makeImage(img.width, img.height, img.channels);
  for (let i = 0; i < img.data.length; i++) {
    const v = img.data[i]!;
    out.data[i] = v < 0 ? 0 : v > 1 ? 1 : Number.isNaN(v) ? 0 : v;
  }
  return out;
}

export function sameSize(a: FloatImage, b: FloatImage): boolean {
  return a.width === b.width && a.height === b.height && a.channels === b.channels;
}

export function assertSameSize(a: FloatImage, b: FloatImage, what: string): void {
  if (!sameSize(a, b)) {
    throw inputError('shape-mismatch', `${what}: images differ in size (${a.width}×${a.height}×${a.channels} vs ${b.width}×${b.height}×${b.channels})`);
  }
}
