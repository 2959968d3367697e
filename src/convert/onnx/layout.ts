/** Layout arithmetic: NCHW ↔ NHWC permutations of shapes, axes and constant data. */
import { allocTyped, viewAs, type DType, type TypedArray } from '../../ir/dtype.js';

/** ONNX NCHW → NHWC (the IR's activation layout). */
export const TO_NHWC = [0, 2, 3, 1] as const;
/** NHWC → ONNX NCHW. */
export const TO_NCHW = [0, 3, 1, 2] as const;

export function permuteShape(shape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((p) => shape[p]!);
}

/** Position in the NHWC tensor of ONNX (NCHW) axis `axis` (already normalised to 0..3). */
export function nhwcAxis(axis: number): number {
  return TO_NCHW[axis]!;
}

/** True when `perm` moves only size-1 axes, i.e. a RESHAPE gives the same element order. */
export function isReshapeOnly(shape: readonly number[], perm: readonly number[]): boolean {
  const before = shape.map((d, i) => (d === 1 ? -1 : i)).filter((i) => i >= 0);
  const after = perm.filter((p) => shape[p] !== 1);
  return before.length === after.length && before.every((a, i) => a === after[i]);
}

export function isIdentityPerm(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

/** Transposes constant data: out[j...] = in[...] with out axis j = in axis perm[j]. */
export function permuteData(dtype: DType, data: TypedArray, shape: readonly number[], perm: readonly number[]): TypedArray {
  const rank = shape.length;
  const out = allocTyped(dtype, data.length);
  if (isReshapeOnly(shape, perm)) {
    (out as Float32Array).set(data as Float32Array);
    return out;
  }
  const inStrides = new Array<number>(rank);
  let s = 1;
  for (let i = rank - 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const outShape = permuteShape(shape, perm);
  const strides = perm.map((p) => inStrides[p]!);
  if (rank === 4) {
    permute4(data as unknown as ArrayLike<number>, out as unknown as number[], outShape, strides);
    return out;
  }
  const idx = new Array<number>(rank).fill(0);
  const src = data as unknown as ArrayLike<number>;
  const dst = out as unknown as number[];
  for (let o = 0; o < data.length; o++) {
    let off = 0;
    for (let k = 0; k < rank; k++) off += idx[k]! * strides[k]!;
    dst[o] = src[off]!;
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k]! < outShape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** The 4-D case (every weight permutation): plain nested loops, ~20× faster than the generic walk. */
function permute4(src: ArrayLike<number>, dst: number[], [d0, d1, d2, d3]: number[], [s0, s1, s2, s3]: number[]): void {
  let o = 0;
  for (let a = 0; a < d0!; a++) {
    const oa = a * s0!;
    for (let b = 0; b < d1!; b++) {
      const ob = oa + b * s1!;
      for (let c = 0; c < d2!; c++) {
        const oc = ob + c * s2!;
        for (let d = 0; d < d3!; d++) dst[o++] = src[oc + d * s3!]!;
      }
    }
  }
}

/**
 * `permuteData` for float32 read straight from little-endian bytes at any offset (raw_data that a
 * Float32Array cannot view): only the permuted array is allocated, never an aligned copy of the source.
 */
export function permuteFloat32Bytes(bytes: Uint8Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  if (shape.length !== 4 || isReshapeOnly(shape, perm)) return permuteData('float32', viewAs('float32', bytes), shape, perm) as Float32Array;
  const src = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  const inStrides = [shape[1]! * shape[2]! * shape[3]!, shape[2]! * shape[3]!, shape[3]!, 1];
  const [d0, d1, d2, d3] = permuteShape(shape, perm) as [number, number, number, number];
  const [s0, s1, s2, s3] = perm.map((p) => inStrides[p]! * 4) as [number, number, number, number];
  let o = 0;
  for (let a = 0; a < d0; a++) {
    const oa = a * s0;
    for (let b = 0; b < d1; b++) {
      const ob = oa + b * s1;
      for (let c = 0; c < d2; c++) {
        const oc = ob + c * s2;
        for (let d = 0; d < d3; d++) out[o++] = src.getFloat32(oc + d * s3, true);
      }
    }
  }
  return out;
}
