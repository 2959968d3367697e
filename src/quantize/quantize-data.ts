/** Quantizing constant data: symmetric per-channel / per-tensor weights, int32 biases, asymmetric per-tensor operands. */
import { quantizeValue, symmetricScale } from './int8-params.js';

/** Outer/inner extents around `axis` of a row-major shape. */
function split(shape: readonly number[], axis: number): { outer: number; channels: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d]!;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  return { outer, channels: shape[axis]!, inner };
}

/** Symmetric int8 in [−127, 127], one scale per slice along `axis` (or one for the tensor). */
export function quantizeWeightSymmetric(w: Float32Array, shape: readonly number[], axis: number | 'tensor'): { data: Int8Array; scales: number[] } {
  const data = new Int8Array(w.length);
  if (axis === 'tensor') {
    let m = 0;
    for (let i = 0; i < w.length; i++) m = Math.max(m, Math.abs(w[i]!));
    const s = symmetricScale(m);
    for (let i = 0; i < w.length; i++) data[i] = quantizeValue(w[i]!, s, 0, -127, 127);
    return { data, scales: [s] };
  }
  const { outer, channels, inner } = split(shape, axis);
  const absMax = new Float64Array(channels);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      for (let i = 0; i < inner; i++) absMax[c] = Math.max(absMax[c]!, Math.abs(w[base + i]!));
    }
  const scales = Array.from(absMax, symmetricScale);
  for (let o = 0; o < outer; o++)
    for (let c = 0; c < channels; c++) {
      const base = (o * channels + c) * inner;
      const s = scales[c]!;
      for (let i = 0; i < inner; i++) data[base + i] = quantizeValue(w[base + i]!, s, 0, -127, 127);
    }
  return { data, scales };
}

/** int32 bias: round(b[c] / scale[c]), saturated. */
export function quantizeBias(b: Float32Array, scales: readonly number[]): Int32Array {
  const out = new Int32Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = quantizeValue(b[i]!, scales.length === 1 ? scales[0]! : scales[i]!, 0, -2147483647, 2147483647);
  return out;
}

export function quantizePerTensor(x: Float32Array, scale: number, zeroPoint: number, qmin = -128, qmax = 127): Int8Array {
  const out = new Int8Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = quantizeValue(x[i]!, scale, zeroPoint, qmin, qmax);
  return out;
}
