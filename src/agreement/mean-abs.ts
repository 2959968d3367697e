import { checkSameLength } from './same-length.js';

/** mean |cand − ref|. */
export function meanAbs(ref: ArrayLike<number>, cand: ArrayLike<number>): number {
  checkSameLength(ref, cand, 'mean_abs');
  let s = 0;
  for (let i = 0; i < ref.length; i++) s += Math.abs(cand[i]! - ref[i]!);
  return s / ref.length;
}
