import { tensorAgreement, type TensorAgreement } from '../agreement/index.js';

/**
 * `mai convert --check`: the source model in its reference runtime
 * (onnxruntime-node) and our .tflite in LiteRT on the same seeded inputs.
 *
 * Pass rule (documented in README): per output, max_abs ≤ 1e-4 × range, where
 * range = max − min of the reference output (max |value| for a constant output),
 * and cosine ≥ 0.9999 — fp32 conversion only reorders float arithmetic, so
 * anything beyond that is a bug.
 */
export const CHECK_REL_TOL = 1e-4;
/**
 * When the ONNX model computes in float16 (a `.half()` export) onnxruntime's reference carries fp16
 * rounding (unit roundoff 2^-11) through every layer while the converted model computes in float32:
 * the limit is 8 units of fp16 roundoff of the output range (2^-8 ≈ 3.9e-3), not the float32 1e-4.
 */
export const CHECK_REL_TOL_FP16_REFERENCE = 2 ** -8;
export const CHECK_MIN_COSINE = 0.9999;

export interface OutputCheck extends TensorAgreement {
  name: string;
  range: number;
  limit: number;
  pass: boolean;
}

export interface CheckReport {
  seed: number;
  reference: string;
  candidate: string;
  /** Judged: against the source's float32 computation when it computes in lower precision (`floatReference`). */
  outputs: OutputCheck[];
  /** The reference ran in float16 (fp16 ONNX inputs), so the limit is CHECK_REL_TOL_FP16_REFERENCE. */
  float16Reference: boolean;
  /** The source computes in float16 or fake-quantized int8: the judged reference is its float32 computation (what changed). */
  floatReference?: string[];
  /** With `floatReference`: the same outputs against the source as written (fp16 / QDQ in onnxruntime), not judged. */
  asWritten?: OutputCheck[];
  pass: boolean;
}

/** The tolerance rule for one output: max_abs ≤ relTol × range (max |value| for a constant reference) and cosine ≥ CHECK_MIN_COSINE. */
export function outputCheck(name: string, ref: Float32Array, cand: Float32Array, relTol = CHECK_REL_TOL): OutputCheck {
  const agreement = tensorAgreement(ref, cand);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of ref) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const range = hi - lo;
  const scale = range > 0 ? range : Math.max(Math.abs(hi), Math.abs(lo));
  const limit = relTol * scale;
  return { name, ...agreement, range, limit, pass: agreement.maxAbs <= limit && agreement.cosine >= CHECK_MIN_COSINE };
}
