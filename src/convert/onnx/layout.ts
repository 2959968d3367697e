/** Layout arithmetic: NCHW ↔ NHWC permutations of shapes, axes and constant data. */
import { viewAs } from '../../ir/dtype.js';
import { isReshapeOnly, permuteInto, permuteShape, strides } from '../../ir/ndarray.js';
import { internalError } from '../../core/errors.js';

/** ONNX NCHW → NHWC (the IR's activation layout). */
export const TO_NHWC = [0, 2, 3, 1] as const;
/** NHWC → ONNX NCHW. */
export const TO_NCHW = [0, 3, 1, 2] as const;

/** Position in the NHWC tensor of ONNX (NCHW) axis `axis` (already normalised to 0..3). */
export function nhwcAxis(axis: number): number {
  return TO_NCHW[axis]!;
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
  if (dst.length * 4 !== bytes.byteLength) throw internalError(`permuteFloat32Into: ${bytes.byteLength} source bytes for ${dst.length} values`);
  const aligned = bytes.byteOffset % 4 === 0;
  if (isReshapeOnly(shape, perm)) {
    if (aligned) dst.set(new Float32Array(bytes.buffer, bytes.byteOffset, dst.length));
    else new Uint8Array(dst.buffer, dst.byteOffset, dst.byteLength).set(bytes);
    return;
  }
  if (shape.length !== 4 || aligned) {
    // an unaligned source of another rank is copied once to be read (rare: 4-D weights are the bulk)
    const src = aligned ? new Float32Array(bytes.buffer, bytes.byteOffset, dst.length) : (viewAs('float32', bytes) as Float32Array);
    permuteInto(src, dst, shape, perm);
    return;
  }
  const inStrides = strides(shape);
  const outShape = permuteShape(shape, perm);
  if (perm[0] === 0) {
    // Unaligned, first axis kept: each of its blocks is contiguous in the source. Copy one block at
    // a time into an aligned scratch (a memcpy) and permute from there — far faster than a DataView.
    const block = inStrides[0]!;
    const scratch = new Float32Array(block);
    const scratchBytes = new Uint8Array(scratch.buffer);
    const blockShape = [1, ...shape.slice(1)];
    for (let a = 0; a < shape[0]!; a++) {
      scratchBytes.set(bytes.subarray(a * block * 4, (a + 1) * block * 4));
      permuteInto(scratch, dst.subarray(a * block, (a + 1) * block), blockShape, perm);
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
