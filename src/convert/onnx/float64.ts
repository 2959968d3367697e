/**
 * The float64 (ONNX DOUBLE) import policy. TFLite kernels have (almost) no float64 compute and
 * LiteRT.js / the GPU delegate take float32 I/O, so — as TensorFlow's own TFLite converter does —
 * float64 is computed as float32:
 * - graph inputs, outputs and activations declared float64 become float32 tensors (feed float32);
 * - Cast / CastLike to DOUBLE hold the result in float32 (a no-op from float32);
 * - float64 constants (initializers, Constant nodes, folded values) stay float64 while import-time
 *   folding evaluates them (shape arithmetic stays exact) and are rounded to float32 (nearest) when
 *   they become TFLite tensors. A finite value beyond float32's range (|v| > 3.4028235e38) would
 *   become ±Infinity: it is refused, naming the constant. Values below float32's range underflow as
 *   IEEE rounding does (to a float32 subnormal or to ±0): the absolute error is at most 2^-150
 *   (≈ 7e-46), which the relative rounding of float32 (2^-24) already dominates for any result of
 *   magnitude above 2^-126.
 * The graph metadata FLOAT64_NOTE_KEY says so, for `mai convert` to show.
 */
import type { DType, TypedArray } from '../../ir/dtype.js';

/** Graph metadata key set when float64 values were imported as float32 (value: FLOAT64_NOTE). */
export const FLOAT64_NOTE_KEY = 'mai_float64_as_float32';
export const FLOAT64_NOTE =
  'float64 inputs, outputs, activations and constants were imported as float32 (TFLite kernels, LiteRT.js and the GPU delegate compute and take float32): results carry float32 rounding (relative 2^-24 per operation), values beyond ±3.4028235e38 overflow to ±Infinity at run time; feed float32 inputs';

/** The largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** The dtype a value of ONNX type `d` is held in (float64 → float32; everything else unchanged). */
export function heldDType(d: DType): DType {
  return d === 'float64' ? 'float32' : d;
}

/** Index of the first finite element of `data` beyond float32's range, or -1. */
export function firstBeyondFloat32(data: ArrayLike<number>): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (Math.abs(v) > FLOAT32_MAX && Number.isFinite(v)) return i;
  }
  return -1;
}

/**
 * float64 constant data rounded to float32, or the reason it cannot be: a message naming the
 * constant and the first value beyond float32's range.
 */
export function float64ToFloat32(name: string, data: TypedArray): { data: Float32Array } | { error: string } {
  const f64 = data as Float64Array;
  const bad = firstBeyondFloat32(f64);
  if (bad >= 0) {
    return {
      error: `float64 constant '${name}' holds ${f64[bad]} at element ${bad}, beyond float32's range (±3.4028235e38): mai computes float64 models in float32 and would turn it into ${f64[bad]! > 0 ? '' : '-'}Infinity`,
    };
  }
  return { data: Float32Array.from(f64) };
}
