import { checkSameLength } from './same-length.js';

/** SQNR in dB: 10·log10(Σ ref² / Σ (cand − ref)²); Infinity when identical, −Infinity when ref is all-zero and cand is not. */
export function sqnr(ref: ArrayLike<number>, cand: ArrayLike<number>): number {
  checkSameLength(ref, cand, 'sqnr');
  let signal = 0;
  let noise = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const d = cand[i]! - r;
    signal += r * r;
    noise += d * d;
  }
  if (noise === 0) return Infinity;
  return 10 * Math.log10(signal / noise);
}
