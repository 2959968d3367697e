/**
 * int8 parameter arithmetic (TFLite quantization spec): asymmetric activations
 * with the range nudged to include 0, symmetric weights in [−127, 127].
 */

/** Smallest range width used for a tensor that never moved (e.g. a dead ReLU channel). */
export const MIN_RANGE = 1e-6;

/** Asymmetric per-tensor int8 params for the float range [lo, hi] (0 is always representable exactly). */
export function int8Params(lo: number, hi: number, qmin = -128, qmax = 127): { scale: number; zeroPoint: number } {
  let a = Math.min(lo, 0);
  let b = Math.max(hi, 0);
  if (!Number.isFinite(a)) a = -MIN_RANGE;
  if (!Number.isFinite(b)) b = MIN_RANGE;
  if (b - a < MIN_RANGE) b = a + MIN_RANGE;
  const scale = (b - a) / (qmax - qmin);
  let zeroPoint = Math.round(qmin - a / scale);
  zeroPoint = Math.min(qmax, Math.max(qmin, zeroPoint));
  return { scale, zeroPoint };
}

/** Symmetric scale for weights with absolute maximum `absMax` (levels −127…127). */
export function symmetricScale(absMax: number): number {
  return absMax > 0 ? absMax / 127 : 1;
}

export function quantizeValue(x: number, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  const q = Math.round(x / scale) + zeroPoint;
  return q < qmin ? qmin : q > qmax ? qmax : q;
}
