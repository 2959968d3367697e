/**
 * Element-wise agreement of a candidate tensor with a reference (flat arrays of
 * the same length): the numbers `mai convert --check`, `mai validate` and the
 * quantization report share. One pure function per file.
 */
import { cosine } from './cosine.js';
import { maxAbs } from './max-abs.js';
import { meanAbs } from './mean-abs.js';
import { rmse } from './rmse.js';
import { sqnr } from './sqnr.js';

export { cosine, maxAbs, meanAbs, rmse, sqnr };

export const AGREEMENT_METRIC_NAMES = ['max_abs', 'mean_abs', 'rmse', 'cosine', 'sqnr'] as const;

/** Agreement of a candidate's raw output tensor with the reference's. */
export function agreementMetrics(ref: ArrayLike<number>, cand: ArrayLike<number>): Record<(typeof AGREEMENT_METRIC_NAMES)[number], number> {
  return { max_abs: maxAbs(ref, cand), mean_abs: meanAbs(ref, cand), rmse: rmse(ref, cand), cosine: cosine(ref, cand), sqnr: sqnr(ref, cand) };
}

export interface TensorAgreement {
  maxAbs: number;
  meanAbs: number;
  rmse: number;
  cosine: number;
  /** signal-to-quantization-noise ratio in dB (Infinity when identical) */
  sqnrDb: number;
}

/** The same numbers as one record (used by `mai convert --check`). */
export function tensorAgreement(ref: ArrayLike<number>, cand: ArrayLike<number>): TensorAgreement {
  const m = agreementMetrics(ref, cand);
  return { maxAbs: m.max_abs, meanAbs: m.mean_abs, rmse: m.rmse, cosine: m.cosine, sqnrDb: m.sqnr };
}
