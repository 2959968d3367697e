/**
 * Index arithmetic of row-major tensors, for constant data and shapes alike:
 * strides, numpy broadcasting, axis permutation.
 */
import { allocTyped, type DType, type TypedArray } from './dtype.js';
import { numElements } from './tensor.js';

/** Row-major strides. */
export function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1]! * shape[i + 1]!;
  return s;
}

/** Numpy broadcast of shapes, or undefined when they do not broadcast. */
export function broadcastShapes(...shapes: ReadonlyArray<readonly number[]>): number[] | undefined {
  const r = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    let d = 1;
    for (const s of shapes) {
      const x = s[s.length - r + i] ?? 1;
      if (x === 1) continue;
      if (d !== 1 && d !== x) return undefined;
      d = x;
    }
    out.push(d);
  }
  return out;
}

/** Index into an input of shape `inShape` for each flat output index of `outShape` (broadcasting). */
export function broadcastIndex(inShape: readonly number[], outShape: readonly number[]): Int32Array {
  const total = numElements(outShape);
  const map = new Int32Array(total);
  const rank = outShape.length;
  const padded = [...new Array<number>(rank - inShape.length).fill(1), ...inShape];
  const inStrides = strides(padded);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < total; o++) {
    let src = 0;
    for (let d = 0; d < rank; d++) if (padded[d] !== 1) src += idx[d]! * inStrides[d]!;
    map[o] = src;
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return map;
}

/** The shape after moving axis perm[j] to position j. */
export function permuteShape(shape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((p) => shape[p]!);
}

/** The perm that undoes `perm`: transposing by one then the other is the identity. */
export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((a, i) => (inv[a] = i));
  return inv;
}

/** True when `perm` moves only size-1 axes, i.e. a RESHAPE gives the same element order. */
export function isReshapeOnly(shape: readonly number[], perm: readonly number[]): boolean {
  const before = shape.map((d, i) => (d === 1 ? -1 : i)).filter((i) => i >= 0);
  const after = perm.filter((p) => shape[p] !== 1);
  return before.length === after.length && before.every((a, i) => a === after[i]);
}

/** True when `perm` keeps every axis in place. */
export function isIdentityPerm(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

/** Transposes constant data: out[j...] = in[...] with out axis j = in axis perm[j]. */
export function permuteData(dtype: DType, data: TypedArray, shape: readonly number[], perm: readonly number[]): TypedArray {
  const out = allocTyped(dtype, data.length);
  if (isReshapeOnly(shape, perm)) {
    (out as Float32Array).set(data as Float32Array);
    return out;
  }
  permuteInto(data as unknown as ArrayLike<number>, out as unknown as number[], shape, perm);
  return out;
}

/** Writes `src` (shape `shape`) transposed by `perm` into `dst`, which may be a view into a larger buffer. */
export function permuteInto(src: ArrayLike<number>, dst: { [i: number]: number; length: number }, shape: readonly number[], perm: readonly number[]): void {
  const inStrides = strides(shape);
  const outShape = permuteShape(shape, perm);
  const step = perm.map((p) => inStrides[p]!);
  if (shape.length === 4) {
    permute4(src, dst as number[], outShape, step);
    return;
  }
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < dst.length; o++) {
    let off = 0;
    for (let k = 0; k < rank; k++) off += idx[k]! * step[k]!;
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
