import type { DType, TypedArray } from './dtype.js';
import { hasConstData } from './deferred-data.js';

/**
 * Layout tag of a tensor. `NHWC` on a 4-D activation means the tensor holds the
 * source (NCHW) tensor permuted by [0,2,3,1] (on a 3-D graph output from `--channels-last-outputs`:
 * the source's [N,C,L] permuted by [0,2,1]); `NCHW` means it is stored in the
 * source framework's channel-first order; `plain` means layout is meaningless
 * (rank ≠ 4, or a tensor whose axes carry no image semantics).
 */
export type Layout = 'NHWC' | 'NCHW' | 'plain';

/** Quantization parameters (TFLite semantics: real = scale * (q - zeroPoint)). */
export interface QuantParams {
  scale: number[];
  zeroPoint: number[];
  /** Quantized dimension for per-channel parameters. */
  axis?: number;
  /** Observed float range, when known (calibration). */
  min?: number[];
  max?: number[];
}

export interface Tensor {
  name: string;
  dtype: DType;
  /** Static shape. Every dimension is ≥ 0 once the graph is ready to write. */
  shape: number[];
  /** Shape signature with -1 for dims that were dynamic in the source (optional). */
  shapeSignature?: number[];
  layout: Layout;
  /** Constant data (a typed-array view, zero-copy into the source where possible). */
  data?: TypedArray;
  /** For dtype 'string' constants. */
  strings?: string[];
  quant?: QuantParams;
  /** TFLite `is_variable`. */
  isVariable?: boolean;
}

export function numElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function isConstant(t: Tensor): boolean {
  return hasConstData(t) || t.strings !== undefined;
}
