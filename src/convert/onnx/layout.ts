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
  permuteWalk(data as unknown as ArrayLike<number>, out as unknown as number[], outShape, strides);
  return out;
}

/** Any rank: walks the output in order, reading the input at `strides` (input strides permuted). */
function permuteWalk(src: ArrayLike<number>, dst: number[], outShape: readonly number[], strides: readonly number[]): void {
  const rank = outShape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < dst.length; o++) {
    let off = 0;
    for (let k = 0; k < rank; k++) off += idx[k]! * strides[k]!;
    dst[o] = src[off]!;
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k]! < outShape[k]!) break;
      idx[k] = 0;
    }
  }
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
  const out = new Float32Array(bytes.byteLength / 4);
  permuteFloat32Into(bytes, shape, perm, out);
  return out;
}

/**
 * Writes float32 little-endian `bytes` (shape `shape`, any byte offset) transposed by `perm` into
 * `dst` — e.g. straight into the TFLite writer's output buffer, so the permuted weights exist once.
 */
export function permuteFloat32Into(bytes: Uint8Array, shape: readonly number[], perm: readonly number[], dst: Float32Array): void {
  if (dst.length * 4 !== bytes.byteLength) throw new Error(`permuteFloat32Into: ${bytes.byteLength} source bytes for ${dst.length} values`);
  const aligned = bytes.byteOffset % 4 === 0;
  if (isReshapeOnly(shape, perm)) {
    if (aligned) dst.set(new Float32Array(bytes.buffer, bytes.byteOffset, dst.length));
    else new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength).set(bytes);
    return;
  }
  const inStrides = new Array<number>(shape.length);
  for (let i = shape.length - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const outShape = permuteShape(shape, perm);
  const strides = perm.map((p) => inStrides[p]!);
  if (shape.length !== 4 || aligned) {
    // an unaligned source of another rank is copied once to be read (rare: 4-D weights are the bulk)
    const src = aligned ? new Float32Array(bytes.buffer, bytes.byteOffset, dst.length) : (viewAs('float32', bytes) as Float32Array);
    if (shape.length === 4) permute4(src, dst as unknown as number[], outShape, strides);
    else permuteWalk(src, dst as unknown as number[], outShape, strides);
    return;
  }
  if (perm[0] === 0) {
    // Unaligned, first axis kept: each of its blocks is contiguous in the source. Copy one block at
    // a time into an aligned scratch (a memcpy) and permute from there — far faster than a DataView.
    const block = inStrides[0]!;
    const scratch = new Float32Array(block);
    const scratchBytes = new Uint8Array(scratch.buffer);
    const blockShape = [1, ...outShape.slice(1)];
    for (let a = 0; a < shape[0]!; a++) {
      scratchBytes.set(bytes.subarray(a * block * 4, (a + 1) * block * 4));
      permute4(scratch, dst.subarray(a * block, (a + 1) * block) as unknown as number[], blockShape, strides);
    }
    return;
  }
  const src = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const [d0, d1, d2, d3] = outShape as [number, number, number, number];
  const [s0, s1, s2, s3] = perm.map((p) => inStrides[p]! * 4) as [number, number, number, number];
  let o = 0;
  for (let a = 0; a < d0; a++) {
    const oa = a * s0;
    for (let b = 0; b < d1; b++) {
      const ob = oa + b * s1;
      for (let c = 0; c < d2; c++) {
        const oc = ob + c * s2;
        for (let d = 0; d < d3; d++) dst[o++] = src.getFloat32(oc + d * s3, true);
      }
    }
  }
}
