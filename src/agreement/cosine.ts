import { checkSameLength } from './same-length.js';

/** Cosine similarity ⟨ref, cand⟩ / (‖ref‖·‖cand‖); 1 when both are all-zero, 0 when only one is. */
export function cosine(ref: ArrayLike<number>, cand: ArrayLike<number>): number {
  checkSameLength(ref, cand, 'cosine');
  let dot = 0;
  let nr = 0;
  let nc = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const c = cand[i]!;
    dot += r * c;
    nr += r * r;
    nc += c * c;
  }
  if (nr === 0 && nc === 0) return 1;
  if (nr === 0 || nc === 0) return 0;
  return dot / Math.sqrt(nr * nc);
}
