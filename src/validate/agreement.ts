/**
 * Generic tensor agreement between a reference and a candidate output, as one
 * record (used by `mai convert --check`); each number is the metric of the same
 * name in ./metrics, which `mai validate` reports too.
 */
import { agreementMetrics } from './metrics/index.js';

export interface TensorAgreement {
  maxAbs: number;
  meanAbs: number;
  rmse: number;
  cosine: number;
  /** signal-to-quantization-noise ratio in dB (Infinity when identical) */
  sqnrDb: number;
}

export function tensorAgreement(ref: ArrayLike<number>, cand: ArrayLike<number>): TensorAgreement {
  const m = agreementMetrics(ref, cand);
  return { maxAbs: m.max_abs, meanAbs: m.mean_abs, rmse: m.rmse, cosine: m.cosine, sqnrDb: m.sqnr };
}
