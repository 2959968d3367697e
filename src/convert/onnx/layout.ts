/** Layout arithmetic: NCHW ↔ NHWC permutations of shapes, axes and constant data. */
import { viewAs } from '../../ir/dtype.js';
import { isReshapeOnly, permuteData, permuteShape, strides } from '../../ir/ndarray.js';

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
  if (shape.length !== 4 || isReshapeOnly(shape, perm)) return permuteData('float32', viewAs('float32', bytes), shape, perm) as Float32Array;
  const src = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(bytes.byteLength / 4);
  const inStrides = strides(shape);
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
