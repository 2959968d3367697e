/**
 * Generic tensor agreement between a reference and a candidate output.
 * (Used by `mai convert --check`; `mai validate` reports the same numbers.)
 */
export interface TensorAgreement {
  maxAbs: number;
  meanAbs: number;
  rmse: number;
  cosine: number;
  /** signal-to-quantization-noise ratio in dB (Infinity when identical) */
  sqnrDb: number;
}

export function tensorAgreement(ref: ArrayLike<number>, cand: ArrayLike<number>): TensorAgreement {
  if (ref.length !== cand.length) throw new Error(`cannot compare tensors of ${ref.length} and ${cand.length} elements`);
  let maxAbs = 0;
  let sumAbs = 0;
  let sumSq = 0;
  let dot = 0;
  let nr = 0;
  let nc = 0;
  for (let i = 0; i < ref.length; i++) {
    const r = ref[i]!;
    const c = cand[i]!;
    const d = c - r;
    const a = Math.abs(d);
    if (a > maxAbs || Number.isNaN(a)) maxAbs = Number.isNaN(a) ? Infinity : a;
    sumAbs += a;
    sumSq += d * d;
    dot += r * c;
    nr += r * r;
    nc += c * c;
  }
  const n = Math.max(ref.length, 1);
  const cosine = nr === 0 && nc === 0 ? 1 : nr === 0 || nc === 0 ? 0 : dot / Math.sqrt(nr * nc);
  return {
    maxAbs,
    meanAbs: sumAbs / n,
    rmse: Math.sqrt(sumSq / n),
    cosine,
    sqnrDb: sumSq === 0 ? Infinity : 10 * Math.log10(nr / sumSq),
  };
}
