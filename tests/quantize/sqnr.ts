/** Signal-to-quantization-noise ratio in dB of `b` against the reference `a`. */
export function sqnrDb(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sig = 0;
  let noise = 0;
  for (let i = 0; i < a.length; i++) {
    sig += a[i]! ** 2;
    noise += (a[i]! - b[i]!) ** 2;
  }
  return noise === 0 ? Infinity : 10 * Math.log10(sig / noise);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}
