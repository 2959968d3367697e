import { checkSameLength } from './same-length.js';

/** sqrt(mean (cand − ref)²). */
export function rmse(ref: ArrayLike<number>, cand: ArrayLike<number>): number {
  checkSameLength(ref, cand, 'rmse');
  let s = 0;
  for (let i = 0; i < ref.length; i++) {
    const d = cand[i]! - ref[i]!;
    s += d * d;
  }
  return Math.sqrt(s / ref.length);
}
