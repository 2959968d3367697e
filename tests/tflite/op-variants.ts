/** Hand-built single-op graphs: one or more attribute variants per op of the TFLite op table. */
import { Graph } from '../../src/ir/graph.js';
import type { Attrs, Node } from '../../src/ir/node.js';
import type { DType, TypedArray } from '../../src/ir/dtype.js';
import type { QuantParams, Tensor } from '../../src/ir/tensor.js';
import type { BuiltinOpName } from '../../src/tflite/schema/enums.js';

export interface Spec {
  shape: number[];
  dtype?: DType;
  data?: TypedArray;
  strings?: string[];
  quant?: QuantParams;
}
export interface Variant {
  label: string;
  op: BuiltinOpName;
  ins: Array<Spec | ''>;
  outs: Spec[];
  attrs: Attrs;
  /** Expected minimum op version. */
  v: number;
}

const f32 = (shape: number[]): Spec => ({ shape });
const i8 = (shape: number[], scale = 0.5, zp = -3): Spec => ({ shape, dtype: 'int8', quant: { scale: [scale], zeroPoint: [zp] } });
const ints = (values: number[]): Spec => ({ shape: [values.length], dtype: 'int32', data: Int32Array.from(values) });
const cf32 = (shape: number[]): Spec => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, data: Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i) * 0.5)) };
};
const ci8 = (shape: number[], perChannel = false): Spec => {
  const n = shape.reduce((a, b) => a * b, 1);
  const c = shape[0]!;
  return {
    shape,
    dtype: 'int8',
    data: Int8Array.from({ length: n }, (_, i) => ((i * 37) % 255) - 127),
    quant: perChannel
      ? { scale: Array.from({ length: c }, (_, i) => Math.fround(0.01 * (i + 1))), zeroPoint: new Array(c).fill(0), axis: 0 }
      : { scale: [Math.fround(0.02)], zeroPoint: [0] },
  };
};
const ci32Bias = (n: number): Spec => ({ shape: [n], dtype: 'int32', data: Int32Array.from({ length: n }, (_, i) => i * 100 - 7), quant: { scale: [Math.fround(0.01)], zeroPoint: [0] } });

const conv = { padding: 'SAME', strideW: 1, strideH: 1, activation: 'NONE', dilationW: 1, dilationH: 1 } as const;
const pool = { padding: 'VALID', strideW: 2, strideH: 2, filterW: 2, filterH: 2, activation: 'NONE' } as const;
const slice0 = { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false };
const X = [1, 8, 8, 4];

export const VARIANTS: Variant[] = [
  { label: 'float VALID 3-D', op: 'CONV_3D', ins: [f32([1, 4, 6, 6, 2]), cf32([2, 3, 3, 2, 5]), cf32([5])], outs: [f32([1, 3, 2, 4, 5])], attrs: { padding: 'VALID', strideD: 1, strideH: 2, strideW: 1, dilationD: 1, dilationH: 1, dilationW: 1, activation: 'NONE' }, v: 1 },
  { label: 'float VALID 3-D stride 2', op: 'CONV_3D_TRANSPOSE', ins: [ints([1, 7, 5, 6, 5]), cf32([3, 3, 2, 5, 2]), f32([1, 3, 2, 5, 2]), cf32([5])], outs: [f32([1, 7, 5, 6, 5])], attrs: { padding: 'VALID', strideD: 2, strideH: 2, strideW: 1, dilationD: 1, dilationH: 1, dilationW: 1, activation: 'NONE' }, v: 1 },
  { label: 'float SAME', op: 'CONV_2D', ins: [f32(X), cf32([6, 3, 3, 4]), cf32([6])], outs: [f32([1, 8, 8, 6])], attrs: { ...conv }, v: 1 },
  { label: 'VALID stride 2 dilated relu6', op: 'CONV_2D', ins: [f32(X), cf32([6, 3, 3, 4]), cf32([6])], outs: [f32([1, 2, 2, 6])], attrs: { ...conv, padding: 'VALID', strideW: 2, strideH: 2, activation: 'RELU6', dilationW: 2, dilationH: 2 }, v: 1 },
  // TFLite's conv kernel takes "no bias" as 2 inputs (a -1 bias fails in Prepare)
  { label: 'no bias', op: 'CONV_2D', ins: [f32(X), cf32([6, 1, 1, 4])], outs: [f32([1, 8, 8, 6])], attrs: { ...conv, activation: 'RELU' }, v: 1 },
  { label: 'int8 per-channel', op: 'CONV_2D', ins: [i8(X), ci8([6, 3, 3, 4], true), ci32Bias(6)], outs: [i8([1, 8, 8, 6], 0.25, 5)], attrs: { ...conv }, v: 3 },
  { label: 'grouped', op: 'CONV_2D', ins: [f32(X), cf32([6, 3, 3, 2]), cf32([6])], outs: [f32([1, 8, 8, 6])], attrs: { ...conv }, v: 6 },
  { label: 'float', op: 'DEPTHWISE_CONV_2D', ins: [f32(X), cf32([1, 3, 3, 4]), cf32([4])], outs: [f32(X)], attrs: { ...conv, depthMultiplier: 1, activation: 'RELU6' }, v: 1 },
  { label: 'dilated', op: 'DEPTHWISE_CONV_2D', ins: [f32(X), cf32([1, 3, 3, 8]), cf32([8])], outs: [f32([1, 8, 8, 8])], attrs: { ...conv, depthMultiplier: 2, dilationH: 2, dilationW: 2 }, v: 2 },
  { label: 'int8', op: 'DEPTHWISE_CONV_2D', ins: [i8(X), ci8([1, 3, 3, 4]), ci32Bias(4)], outs: [i8(X)], attrs: { ...conv, depthMultiplier: 1 }, v: 3 },
  { label: 'bias', op: 'FULLY_CONNECTED', ins: [f32([2, 16]), cf32([8, 16]), cf32([8])], outs: [f32([2, 8])], attrs: { activation: 'NONE', keepNumDims: false }, v: 1 },
  { label: 'absent bias (-1)', op: 'FULLY_CONNECTED', ins: [f32([2, 16]), cf32([8, 16]), ''], outs: [f32([2, 8])], attrs: { activation: 'RELU', keepNumDims: false }, v: 1 },
  { label: 'keep_num_dims', op: 'FULLY_CONNECTED', ins: [f32([1, 3, 16]), cf32([8, 16]), cf32([8])], outs: [f32([1, 3, 8])], attrs: { activation: 'NONE', keepNumDims: true }, v: 5 },
  { label: 'two inputs', op: 'FULLY_CONNECTED', ins: [f32([2, 16]), cf32([8, 16])], outs: [f32([2, 8])], attrs: { activation: 'NONE', keepNumDims: false }, v: 6 },
  { label: 'int8', op: 'FULLY_CONNECTED', ins: [i8([2, 16]), ci8([8, 16]), ci32Bias(8)], outs: [i8([2, 8])], attrs: { activation: 'NONE', keepNumDims: false }, v: 4 },
  { label: 'shuffled weights format', op: 'FULLY_CONNECTED', ins: [f32([2, 16]), cf32([8, 16]), cf32([8])], outs: [f32([2, 8])], attrs: { activation: 'NONE', keepNumDims: false, weightsFormat: 'SHUFFLED4x16INT8' }, v: 2 },
  { label: 'hybrid asymmetric, int32 bias type', op: 'FULLY_CONNECTED', ins: [f32([2, 16]), ci8([8, 16]), cf32([8])], outs: [f32([2, 8])], attrs: { activation: 'NONE', keepNumDims: false, asymmetricQuantizeInputs: true, quantizedBiasType: 'int32' }, v: 9 },
  { label: 'hybrid per-channel', op: 'FULLY_CONNECTED', ins: [f32([2, 16]), ci8([8, 16], true), cf32([8])], outs: [f32([2, 8])], attrs: { activation: 'NONE', keepNumDims: false }, v: 12 },
  { label: 'hybrid', op: 'FULLY_CONNECTED', ins: [f32([2, 16]), ci8([8, 16]), cf32([8])], outs: [f32([2, 8])], attrs: { activation: 'NONE', keepNumDims: false }, v: 3 },
  { label: 'hybrid per-channel', op: 'CONV_2D', ins: [f32(X), ci8([6, 3, 3, 4], true), cf32([6])], outs: [f32([1, 8, 8, 6])], attrs: { ...conv }, v: 5 },
  { label: 'hybrid', op: 'CONV_2D', ins: [f32(X), ci8([6, 3, 3, 4]), cf32([6])], outs: [f32([1, 8, 8, 6])], attrs: { ...conv }, v: 2 },
  { label: 'quantized_bias_type int64', op: 'CONV_2D', ins: [f32(X), cf32([6, 1, 1, 4]), cf32([6])], outs: [f32([1, 8, 8, 6])], attrs: { ...conv, quantizedBiasType: 'int64' }, v: 1 },
  { label: 'int16 without pot scale', op: 'ADD', ins: [{ shape: [4], dtype: 'int16', quant: { scale: [0.5], zeroPoint: [0] } }, { shape: [4], dtype: 'int16', quant: { scale: [0.5], zeroPoint: [0] } }], outs: [{ shape: [4], dtype: 'int16', quant: { scale: [0.5], zeroPoint: [0] } }], attrs: { activation: 'NONE', potScaleInt16: false }, v: 3 },
  { label: 'asymmetric inputs', op: 'BATCH_MATMUL', ins: [f32([2, 3, 4]), f32([2, 4, 5])], outs: [f32([2, 3, 5])], attrs: { adjX: false, adjY: false, asymmetricQuantizeInputs: true }, v: 1 },
  { label: 'float relu', op: 'ADD', ins: [f32(X), f32(X)], outs: [f32(X)], attrs: { activation: 'RELU' }, v: 1 },
  { label: 'int8', op: 'ADD', ins: [i8(X), i8([4])], outs: [i8(X)], attrs: { activation: 'NONE' }, v: 2 },
  { label: 'float16 const', op: 'ADD', ins: [{ shape: [4], dtype: 'float16' }, { shape: [4], dtype: 'float16', data: Uint16Array.from([0x3c00, 0x4000, 0xbc00, 0x0001]) }], outs: [{ shape: [4], dtype: 'float16' }], attrs: { activation: 'NONE' }, v: 6 },
  { label: 'float', op: 'SUB', ins: [f32(X), cf32([4])], outs: [f32(X)], attrs: { activation: 'RELU_N1_TO_1' }, v: 1 },
  { label: 'rank 5', op: 'SUB', ins: [f32([1, 2, 2, 2, 4]), f32([4])], outs: [f32([1, 2, 2, 2, 4])], attrs: { activation: 'NONE' }, v: 3 },
  { label: 'float tanh', op: 'MUL', ins: [f32(X), f32(X)], outs: [f32(X)], attrs: { activation: 'TANH' }, v: 1 },
  { label: 'int8 small ratio', op: 'MUL', ins: [i8(X, 0.5), i8(X, 0.5)], outs: [i8(X, 0.5)], attrs: { activation: 'NONE' }, v: 2 },
  { label: 'int8 ratio ≥ 1', op: 'MUL', ins: [i8(X, 2), i8(X, 2)], outs: [i8(X, 0.5)], attrs: { activation: 'NONE' }, v: 3 },
  { label: 'float', op: 'DIV', ins: [f32(X), cf32([4])], outs: [f32(X)], attrs: { activation: 'NONE' }, v: 1 },
  { label: 'rank 5', op: 'DIV', ins: [f32([1, 2, 2, 2, 4]), f32([4])], outs: [f32([1, 2, 2, 2, 4])], attrs: { activation: 'RELU' }, v: 2 },
  { label: 'float', op: 'RELU', ins: [f32(X)], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'int8', op: 'RELU', ins: [i8(X)], outs: [i8(X)], attrs: {}, v: 2 },
  { label: 'float', op: 'RELU6', ins: [f32(X)], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'float', op: 'RELU_N1_TO_1', ins: [f32(X)], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'float', op: 'LOGISTIC', ins: [f32(X)], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'int8', op: 'LOGISTIC', ins: [i8(X)], outs: [i8(X, 1 / 256, -128)], attrs: {}, v: 2 },
  { label: 'float', op: 'TANH', ins: [f32(X)], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'float', op: 'MINIMUM', ins: [f32(X), cf32([1])], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'int8', op: 'MAXIMUM', ins: [i8(X), i8(X)], outs: [i8(X)], attrs: {}, v: 2 },
  { label: 'axis 3', op: 'CONCATENATION', ins: [f32(X), f32(X)], outs: [f32([1, 8, 8, 8])], attrs: { axis: 3, activation: 'NONE' }, v: 1 },
  { label: 'axis -1 relu, int8', op: 'CONCATENATION', ins: [i8(X), i8(X)], outs: [i8([1, 8, 8, 8])], attrs: { axis: -1, activation: 'RELU' }, v: 2 },
  { label: 'valid 2x2', op: 'MAX_POOL_2D', ins: [f32(X)], outs: [f32([1, 4, 4, 4])], attrs: { ...pool }, v: 1 },
  { label: 'same 3x3 s1 relu', op: 'AVERAGE_POOL_2D', ins: [f32(X)], outs: [f32(X)], attrs: { ...pool, padding: 'SAME', strideH: 1, strideW: 1, filterH: 3, filterW: 3, activation: 'RELU' }, v: 1 },
  { label: 'int8', op: 'AVERAGE_POOL_2D', ins: [i8(X)], outs: [i8([1, 4, 4, 4])], attrs: { ...pool }, v: 2 },
  { label: 'keep dims', op: 'MEAN', ins: [f32(X), ints([1, 2])], outs: [f32([1, 1, 1, 4])], attrs: { keepDims: true }, v: 1 },
  { label: 'drop dims', op: 'SUM', ins: [f32(X), ints([1, 2])], outs: [f32([1, 4])], attrs: { keepDims: false }, v: 1 },
  { label: 'keep dims', op: 'REDUCE_MIN', ins: [f32(X), ints([1, 2])], outs: [f32([1, 1, 1, 4])], attrs: { keepDims: true }, v: 1 },
  { label: 'keep dims', op: 'REDUCE_PROD', ins: [f32(X), ints([1, 2])], outs: [f32([1, 1, 1, 4])], attrs: { keepDims: true }, v: 1 },
  { label: 'int8', op: 'REDUCE_MAX', ins: [i8(X), ints([3])], outs: [i8([1, 8, 8])], attrs: { keepDims: false }, v: 2 },
  { label: 'plain', op: 'RESIZE_BILINEAR', ins: [f32(X), ints([16, 16])], outs: [f32([1, 16, 16, 4])], attrs: { alignCorners: false, halfPixelCenters: false }, v: 1 },
  { label: 'align corners', op: 'RESIZE_BILINEAR', ins: [f32(X), ints([16, 16])], outs: [f32([1, 16, 16, 4])], attrs: { alignCorners: true, halfPixelCenters: false }, v: 1 },
  { label: 'half pixel', op: 'RESIZE_BILINEAR', ins: [f32(X), ints([16, 16])], outs: [f32([1, 16, 16, 4])], attrs: { alignCorners: false, halfPixelCenters: true }, v: 3 },
  { label: 'plain', op: 'RESIZE_NEAREST_NEIGHBOR', ins: [f32(X), ints([16, 16])], outs: [f32([1, 16, 16, 4])], attrs: { alignCorners: false, halfPixelCenters: false }, v: 1 },
  { label: 'half pixel', op: 'RESIZE_NEAREST_NEIGHBOR', ins: [f32(X), ints([16, 16])], outs: [f32([1, 16, 16, 4])], attrs: { alignCorners: false, halfPixelCenters: true }, v: 3 },
  { label: 'with new_shape', op: 'RESHAPE', ins: [f32(X), ints([1, 256])], outs: [f32([1, 256])], attrs: { newShape: [1, 256] }, v: 1 },
  { label: 'shape input only', op: 'RESHAPE', ins: [f32(X), ints([64, 4])], outs: [f32([64, 4])], attrs: {}, v: 1 },
  { label: 'rank 4', op: 'TRANSPOSE', ins: [f32(X), ints([0, 3, 1, 2])], outs: [f32([1, 4, 8, 8])], attrs: {}, v: 1 },
  { label: 'rank 5', op: 'TRANSPOSE', ins: [f32([1, 2, 3, 4, 5]), ints([0, 4, 1, 2, 3])], outs: [f32([1, 5, 2, 3, 4])], attrs: {}, v: 4 },
  { label: 'beta 1', op: 'SOFTMAX', ins: [f32([2, 10])], outs: [f32([2, 10])], attrs: { beta: 1 }, v: 1 },
  { label: 'beta 0.5 int8', op: 'SOFTMAX', ins: [i8([2, 10])], outs: [i8([2, 10], 1 / 256, -128)], attrs: { beta: 0.5 }, v: 2 },
  { label: 'adj_y', op: 'BATCH_MATMUL', ins: [f32([2, 3, 4]), f32([2, 5, 4])], outs: [f32([2, 3, 5])], attrs: { adjX: false, adjY: true }, v: 1 },
  { label: 'float', op: 'PAD', ins: [f32(X), { shape: [4, 2], dtype: 'int32', data: Int32Array.from([0, 0, 1, 1, 2, 2, 0, 0]) }], outs: [f32([1, 10, 12, 4])], attrs: {}, v: 1 },
  { label: 'int8', op: 'PAD', ins: [i8(X), { shape: [4, 2], dtype: 'int32', data: Int32Array.from([0, 0, 1, 1, 1, 1, 0, 0]) }], outs: [i8([1, 10, 10, 4])], attrs: {}, v: 2 },
  { label: 'value', op: 'PADV2', ins: [f32(X), { shape: [4, 2], dtype: 'int32', data: Int32Array.from([0, 0, 1, 1, 1, 1, 0, 0]) }, { shape: [], data: Float32Array.from([-1]) }], outs: [f32([1, 10, 10, 4])], attrs: {}, v: 1 },
  { label: 'reflect', op: 'MIRROR_PAD', ins: [f32(X), { shape: [4, 2], dtype: 'int32', data: Int32Array.from([0, 0, 1, 1, 1, 1, 0, 0]) }], outs: [f32([1, 10, 10, 4])], attrs: { mirrorMode: 'REFLECT' }, v: 1 },
  { label: 'symmetric', op: 'MIRROR_PAD', ins: [f32(X), { shape: [4, 2], dtype: 'int32', data: Int32Array.from([0, 0, 2, 2, 2, 2, 0, 0]) }], outs: [f32([1, 12, 12, 4])], attrs: { mirrorMode: 'SYMMETRIC' }, v: 1 },
  { label: 'per-tensor', op: 'QUANTIZE', ins: [f32(X)], outs: [{ ...i8(X, 0.05, 2), quant: { scale: [Math.fround(0.05)], zeroPoint: [2], min: [-6.5], max: [6.25] } }], attrs: {}, v: 1 },
  { label: 'per-channel', op: 'QUANTIZE', ins: [f32(X)], outs: [{ shape: X, dtype: 'int8', quant: { scale: [0.5, 0.25, 0.125, 1], zeroPoint: [0, 0, 0, 0], axis: 3 } }], attrs: {}, v: 3 },
  { label: 'uint8', op: 'DEQUANTIZE', ins: [{ shape: X, dtype: 'uint8', quant: { scale: [0.5], zeroPoint: [128] } }], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'int8', op: 'DEQUANTIZE', ins: [i8(X)], outs: [f32(X)], attrs: {}, v: 2 },
  { label: 'float16 const', op: 'DEQUANTIZE', ins: [{ shape: [2, 2], dtype: 'float16', data: Uint16Array.from([0x3c00, 0x3555, 0x7bff, 0x8000]) }], outs: [f32([2, 2])], attrs: {}, v: 3 },
  { label: 'int8 per-channel const', op: 'DEQUANTIZE', ins: [ci8([3, 2, 2, 1], true)], outs: [f32([3, 2, 2, 1])], attrs: {}, v: 5 },
  { label: 'types', op: 'CAST', ins: [f32([5])], outs: [{ shape: [5], dtype: 'int32' }], attrs: { inDataType: 'float32', outDataType: 'int32' }, v: 1 },
  { label: 'no options', op: 'CAST', ins: [{ shape: [5], dtype: 'bool' }], outs: [f32([5])], attrs: {}, v: 1 },
  { label: 'no bias', op: 'TRANSPOSE_CONV', ins: [ints([1, 16, 16, 6]), cf32([6, 3, 3, 4]), f32(X)], outs: [f32([1, 16, 16, 6])], attrs: { padding: 'SAME', strideW: 2, strideH: 2, activation: 'NONE' }, v: 1 },
  { label: 'int8 weights', op: 'TRANSPOSE_CONV', ins: [ints([1, 16, 16, 6]), ci8([6, 3, 3, 4]), i8(X)], outs: [i8([1, 16, 16, 6])], attrs: { padding: 'SAME', strideW: 2, strideH: 2, activation: 'NONE' }, v: 2 },
  { label: 'bias', op: 'TRANSPOSE_CONV', ins: [ints([1, 17, 17, 6]), cf32([6, 3, 3, 4]), f32(X), cf32([6])], outs: [f32([1, 17, 17, 6])], attrs: { padding: 'VALID', strideW: 2, strideH: 2, activation: 'NONE' }, v: 3 },
  { label: 'fused relu', op: 'TRANSPOSE_CONV', ins: [ints([1, 16, 16, 6]), cf32([6, 3, 3, 4]), f32(X), cf32([6])], outs: [f32([1, 16, 16, 6])], attrs: { padding: 'SAME', strideW: 2, strideH: 2, activation: 'RELU' }, v: 4 },
  { label: 'masks', op: 'STRIDED_SLICE', ins: [f32(X), ints([0, 1, 1, 0]), ints([1, 7, 7, 4]), ints([1, 2, 2, 1])], outs: [f32([1, 3, 3, 4])], attrs: { ...slice0, beginMask: 9, endMask: 9 }, v: 1 },
  { label: 'shrink', op: 'STRIDED_SLICE', ins: [f32([3, 5]), ints([1, 0]), ints([2, 5]), ints([1, 1])], outs: [f32([5])], attrs: { ...slice0, shrinkAxisMask: 1 }, v: 1 },
  { label: 'ellipsis', op: 'STRIDED_SLICE', ins: [f32(X), ints([0, 1]), ints([0, 3]), ints([1, 1])], outs: [f32([1, 8, 8, 2])], attrs: { ...slice0, ellipsisMask: 1 }, v: 6 },
  { label: 'offset', op: 'STRIDED_SLICE', ins: [f32([10]), ints([2]), ints([3]), ints([1])], outs: [f32([3])], attrs: { ...slice0, offset: true }, v: 8 },
  { label: 'float', op: 'SLICE', ins: [f32(X), ints([0, 1, 1, 0]), ints([1, 4, 4, -1])], outs: [f32([1, 4, 4, 4])], attrs: {}, v: 1 },
  { label: 'two ways', op: 'SPLIT', ins: [{ shape: [], dtype: 'int32', data: Int32Array.from([3]) }, f32(X)], outs: [f32([1, 8, 8, 2]), f32([1, 8, 8, 2])], attrs: { numSplits: 2 }, v: 1 },
  { label: 'uneven', op: 'SPLIT_V', ins: [f32(X), ints([1, 3]), { shape: [], dtype: 'int32', data: Int32Array.from([3]) }], outs: [f32([1, 8, 8, 1]), f32([1, 8, 8, 3])], attrs: { numSplits: 2 }, v: 1 },
  { label: 'int8', op: 'SPLIT', ins: [{ shape: [], dtype: 'int32', data: Int32Array.from([3]) }, i8(X)], outs: [i8([1, 8, 8, 2]), i8([1, 8, 8, 2])], attrs: { numSplits: 2 }, v: 2 },
  { label: 'axis 1 with int64 indices', op: 'GATHER', ins: [f32([4, 6]), { shape: [3], dtype: 'int64', data: BigInt64Array.from([0n, 5n, 2n]) }], outs: [f32([4, 3])], attrs: { axis: 1, batchDims: 0 }, v: 1 },
  { label: 'batch_dims 1', op: 'GATHER', ins: [f32([2, 4, 6]), { shape: [2, 3], dtype: 'int32', data: Int32Array.from([0, 1, 2, 3, 0, 1]) }], outs: [f32([2, 3, 6])], attrs: { axis: 1, batchDims: 1 }, v: 5 },
  { label: 'float value, constant dims', op: 'FILL', ins: [ints([2, 3]), { shape: [] }], outs: [f32([2, 3])], attrs: {}, v: 1 },
  { label: 'int64 dims, bool value', op: 'FILL', ins: [{ shape: [2], dtype: 'int64', data: BigInt64Array.from([3n, 1n]) }, { shape: [], dtype: 'bool', data: Uint8Array.from([1]) }], outs: [{ shape: [3, 1], dtype: 'bool' }], attrs: {}, v: 2 },
  { label: 'int8 value', op: 'FILL', ins: [ints([4]), { shape: [], dtype: 'int8', data: Int8Array.from([-3]) }], outs: [{ shape: [4], dtype: 'int8' }], attrs: {}, v: 3 },
  { label: 'int32', op: 'RANGE', ins: [0, 9, 3].map((x) => ({ shape: [], dtype: 'int32' as const, data: Int32Array.from([x]) })), outs: [{ shape: [3], dtype: 'int32' }], attrs: {}, v: 1 },
  { label: 'int64', op: 'RANGE', ins: [5n, -1n, -2n].map((x) => ({ shape: [], dtype: 'int64' as const, data: BigInt64Array.from([x]) })), outs: [{ shape: [3], dtype: 'int64' }], attrs: {}, v: 2 },
  { label: 'float16 → float32', op: 'CAST', ins: [{ shape: [5], dtype: 'float16' }], outs: [f32([5])], attrs: { inDataType: 'float16', outDataType: 'float32' }, v: 5 },
  { label: 'int8', op: 'TILE', ins: [i8([2, 3]), ints([2, 1])], outs: [i8([4, 3])], attrs: {}, v: 3 },
  { label: 'int32 data', op: 'SPLIT', ins: [{ shape: [], dtype: 'int32', data: Int32Array.from([0]) }, { shape: [4, 2], dtype: 'int32' }], outs: [{ shape: [2, 2], dtype: 'int32' }, { shape: [2, 2], dtype: 'int32' }], attrs: { numSplits: 2 }, v: 3 },
  { label: 'rank-5 broadcast', op: 'MINIMUM', ins: [f32([1, 2, 2, 2, 4]), cf32([4])], outs: [f32([1, 2, 2, 2, 4])], attrs: {}, v: 3 },
  { label: 'uint8', op: 'RELU', ins: [{ shape: [4], dtype: 'uint8', quant: { scale: [0.125], zeroPoint: [128] } }], outs: [{ shape: [4], dtype: 'uint8', quant: { scale: [0.125], zeroPoint: [128] } }], attrs: {}, v: 2 },
  { label: 'alpha', op: 'LEAKY_RELU', ins: [f32(X)], outs: [f32(X)], attrs: { alpha: 0.25 }, v: 1 },
  { label: 'channel alpha', op: 'PRELU', ins: [f32(X), cf32([1, 1, 4])], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'float', op: 'HARD_SWISH', ins: [f32(X)], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'float', op: 'ELU', ins: [f32(X)], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'exact', op: 'GELU', ins: [f32(X)], outs: [f32(X)], attrs: { approximate: false }, v: 1 },
  { label: 'tanh approx int8', op: 'GELU', ins: [i8(X)], outs: [i8(X)], attrs: { approximate: true }, v: 2 },
  ...(['EXP', 'LOG', 'SQRT', 'RSQRT', 'ABS', 'NEG'] as const).map((op): Variant => ({ label: 'float', op, ins: [f32(X)], outs: [f32(X)], attrs: {}, v: 1 })),
  { label: 'int8', op: 'RSQRT', ins: [i8(X)], outs: [i8(X)], attrs: {}, v: 2 },
  { label: 'float', op: 'POW', ins: [f32(X), cf32([1])], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'half to even', op: 'ROUND', ins: [f32(X)], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'float', op: 'SQUARED_DIFFERENCE', ins: [f32(X), f32(X)], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'block 2', op: 'DEPTH_TO_SPACE', ins: [f32(X)], outs: [f32([1, 16, 16, 1])], attrs: { blockSize: 2 }, v: 1 },
  { label: 'block 2', op: 'SPACE_TO_DEPTH', ins: [f32(X)], outs: [f32([1, 4, 4, 16])], attrs: { blockSize: 2 }, v: 1 },
  { label: 'dims', op: 'SQUEEZE', ins: [f32([1, 1, 1, 4])], outs: [f32([1, 4])], attrs: { squeezeDims: [1, 2] }, v: 1 },
  { label: 'all unit dims', op: 'SQUEEZE', ins: [f32([1, 1, 1, 4])], outs: [f32([4])], attrs: { squeezeDims: [] }, v: 1 },
  { label: 'axis', op: 'EXPAND_DIMS', ins: [f32([8, 4]), { shape: [], dtype: 'int32', data: Int32Array.from([0]) }], outs: [f32([1, 8, 4])], attrs: {}, v: 1 },
  { label: 'multiples', op: 'TILE', ins: [f32([2, 3]), ints([2, 1])], outs: [f32([4, 3])], attrs: {}, v: 1 },
  { label: 'uint64 → int64 bits', op: 'BITCAST', ins: [{ shape: [3], dtype: 'uint64' }], outs: [{ shape: [3], dtype: 'int64' }], attrs: {}, v: 1 },
  { label: 'bool cond', op: 'SELECT_V2', ins: [{ shape: [4], dtype: 'bool', data: Uint8Array.from([1, 0, 0, 1]) }, f32([4]), f32([4])], outs: [f32([4])], attrs: {}, v: 1 },
  ...(['EQUAL', 'LESS', 'GREATER', 'LESS_EQUAL', 'GREATER_EQUAL', 'NOT_EQUAL'] as const).map((op): Variant => ({ label: 'bool out', op, ins: [f32([4]), cf32([4])], outs: [{ shape: [4], dtype: 'bool' }], attrs: {}, v: 1 })),
  ...(['LOGICAL_AND', 'LOGICAL_OR'] as const).map((op): Variant => ({ label: 'bool', op, ins: [{ shape: [4], dtype: 'bool' }, { shape: [4], dtype: 'bool' }], outs: [{ shape: [4], dtype: 'bool' }], attrs: {}, v: 1 })),
  { label: 'bool', op: 'LOGICAL_NOT', ins: [{ shape: [4], dtype: 'bool' }], outs: [{ shape: [4], dtype: 'bool' }], attrs: {}, v: 1 },
  { label: 'int8 in', op: 'EQUAL', ins: [i8([4]), i8([4])], outs: [{ shape: [4], dtype: 'bool' }], attrs: {}, v: 2 },
  { label: 'int32 out', op: 'ARG_MAX', ins: [f32([2, 10]), { shape: [], dtype: 'int32', data: Int32Array.from([1]) }], outs: [{ shape: [2], dtype: 'int32' }], attrs: { outDataType: 'int32' }, v: 1 },
  { label: 'float', op: 'FLOOR_DIV', ins: [f32(X), f32(X)], outs: [f32(X)], attrs: {}, v: 2 },
  { label: 'float', op: 'FLOOR_MOD', ins: [f32(X), f32(X)], outs: [f32(X)], attrs: {}, v: 1 },
  { label: 'int32 indices', op: 'GATHER_ND', ins: [f32([4, 6]), { shape: [2, 1], dtype: 'int32', data: Int32Array.from([3, 0]) }], outs: [f32([2, 6])], attrs: {}, v: 1 },
  { label: 'int32 indices', op: 'SCATTER_ND', ins: [{ shape: [2, 1], dtype: 'int32', data: Int32Array.from([3, 0]) }, f32([2, 6]), ints([4, 6])], outs: [f32([4, 6])], attrs: {}, v: 1 },
  ...(['REDUCE_ANY', 'REDUCE_ALL'] as const).map((op): Variant => ({ label: 'bool', op, ins: [{ shape: [2, 4], dtype: 'bool' }, ints([1])], outs: [{ shape: [2], dtype: 'bool' }], attrs: { keepDims: false }, v: 1 })),
  { label: 'int64 out', op: 'ARG_MAX', ins: [f32([2, 10]), { shape: [], dtype: 'int32', data: Int32Array.from([1]) }], outs: [{ shape: [2], dtype: 'int64' }], attrs: { outDataType: 'int64' }, v: 1 },
  { label: 'int32 out', op: 'ARG_MIN', ins: [f32([2, 10]), { shape: [], dtype: 'int32', data: Int32Array.from([1]) }], outs: [{ shape: [2], dtype: 'int32' }], attrs: { outDataType: 'int32' }, v: 1 },
  { label: 'int64 out', op: 'ARG_MIN', ins: [f32([2, 10]), { shape: [], dtype: 'int32', data: Int32Array.from([1]) }], outs: [{ shape: [2], dtype: 'int64' }], attrs: { outDataType: 'int64' }, v: 1 },
  { label: 'float', op: 'TOPK_V2', ins: [f32([2, 10]), { shape: [], dtype: 'int32', data: Int32Array.from([3]) }], outs: [f32([2, 3]), { shape: [2, 3], dtype: 'int32' }], attrs: {}, v: 1 },
  { label: 'exclusive', op: 'CUMSUM', ins: [f32([2, 10]), { shape: [], dtype: 'int32', data: Int32Array.from([1]) }], outs: [f32([2, 10])], attrs: { exclusive: true, reverse: false }, v: 1 },
  { label: 'reverse', op: 'CUMSUM', ins: [f32([2, 10]), { shape: [], dtype: 'int32', data: Int32Array.from([0]) }], outs: [f32([2, 10])], attrs: { exclusive: false, reverse: true }, v: 1 },
  { label: 'axis 1', op: 'ONE_HOT', ins: [{ shape: [2, 3], dtype: 'int32' }, { shape: [], dtype: 'int32', data: Int32Array.from([4]) }, { shape: [], dtype: 'float32', data: Float32Array.from([1]) }, { shape: [], dtype: 'float32', data: Float32Array.from([0]) }], outs: [f32([2, 4, 3])], attrs: { axis: 1 }, v: 1 },
];

function tensorOf(name: string, s: Spec): Tensor {
  const t: Tensor = { name, dtype: s.dtype ?? 'float32', shape: s.shape, layout: s.shape.length === 4 ? 'NHWC' : 'plain' };
  if (s.data) t.data = s.data;
  if (s.strings) t.strings = s.strings;
  if (s.quant) t.quant = s.quant;
  return t;
}

/** The graph of one variant; node.version left out (the writer picks it). */
export function build(v: Variant): Graph {
  const g = new Graph();
  const inputs = v.ins.map((s, i) => {
    if (s === '') return '';
    const name = `${v.op.toLowerCase()}_in${i}`;
    g.addTensor(tensorOf(name, s));
    if (!s.data && !s.strings) g.inputs.push(name);
    return name;
  });
  const outputs = v.outs.map((s, i) => {
    const name = `${v.op.toLowerCase()}_out${i}`;
    g.addTensor(tensorOf(name, s));
    g.outputs.push(name);
    return name;
  });
  const node: Node = { name: `${v.op} ${v.label}`, op: v.op, inputs, outputs, attrs: v.attrs };
  g.addNode(node);
  g.signature = {
    key: 'serving_default',
    inputs: g.inputs.map((t, i) => ({ name: `x${i}`, tensor: t })),
    outputs: g.outputs.map((t, i) => ({ name: `y${i}`, tensor: t })),
  };
  return g;
}

