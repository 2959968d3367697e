/**
 * Generic tensor agreement between a reference and a candidate output, as one
 * record (used by `mai convert --check`); each number is the metric of the same
 * name in ./metrics, which `mai validate` reports too.
 */
import { cosine, maxAbs, meanAbs, rmse, sqnr } from './metrics/index.js';

export interface TensorAgreement {
  maxAbs: number;
  meanAbs: number;
  rmse: number;
  cosine: number;
  /** signal-to-quantization-noise ratio in dB (Infinity when identical) */
  sqnrDb: number;
}

export function tensorAgreement(ref: ArrayLike<number>, cand: ArrayLike<number>): TensorAgreement {
  return { maxAbs: maxAbs(ref, cand), meanAbs: meanAbs(ref, cand), rmse: rmse(ref, cand), cosine: cosine(ref, cand), sqnrDb: sqnr(ref, cand) };
}
