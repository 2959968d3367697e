/** NCHW ↔ NHWC copies of 4-D float data (used at model boundaries: checks, validation, calibration). */
export function nchwToNhwc(src: ArrayLike<number>, [n, c, h, w]: readonly number[], out = new Float32Array(src.length)): Float32Array {
  for (let b = 0; b < n!; b++)
    for (let ch = 0; ch < c!; ch++)
      for (let y = 0; y < h!; y++)
        for (let x = 0; x < w!; x++) out[((b * h! + y) * w! + x) * c! + ch] = src[((b * c! + ch) * h! + y) * w! + x]!;
  return out;
}

export function nhwcToNchw(src: ArrayLike<number>, [n, h, w, c]: readonly number[], out = new Float32Array(src.length)): Float32Array {
  for (let b = 0; b < n!; b++)
    for (let y = 0; y < h!; y++)
      for (let x = 0; x < w!; x++)
        for (let ch = 0; ch < c!; ch++) out[((b * c! + ch) * h! + y) * w! + x] = src[((b * h! + y) * w! + x) * c! + ch]!;
  return out;
}
