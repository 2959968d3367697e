import { checkSameLength } from './same-length.js';

/** max |cand − ref| (Infinity if any element is NaN). */
export function maxAbs(ref: ArrayLike<number>, cand: ArrayLike<number>): number {
  checkSameLength(ref, cand, 'max_abs');
  let m = 0;
  for (let i = 0; i < ref.length; i++) {
    const a = Math.abs(cand[i]! - ref[i]!);
    if (Number.isNaN(a)) return Infinity;
    if (a > m) m = a;
  }
  return m;
}
