/**
 * One small ONNX model per importer op (a few per op where the op has modes
 * the GPU rules treat differently), built with the test ONNX builder. The
 * WebGPU delegate test converts each whose ops are all in the importer table
 * and runs it under Google's delegate. NCHW float32 input x [1, 4, 8, 8]
 * unless a model says otherwise; converted with NHWC I/O (the default). Two small
 * real exports (tests/fixtures/onnx) stand for the ops they were made for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { floatToHalf } from '../../../src/ir/dtype.js';
import { buildOnnxModel, attr, normalFloat32, uniformFloat32, type AttrValue, type OnnxDType, type OnnxNodeSpec, type OnnxTensorSpec, type OnnxValueSpec } from '../../helpers/onnx-builder.js';

export interface SingleOpModel {
  name: string;
  /** ONNX op types the model uses (all must be in the importer table to run it). */
  ops: string[];
  bytes: () => Uint8Array;
  /** Range of the seeded uniform inputs (default [-1, 1]); positive for Log/Sqrt/Reciprocal. */
  inputRange?: [number, number];
}

const X: OnnxValueSpec = { name: 'x', shape: [1, 4, 8, 8] };
const Y: OnnxValueSpec = { name: 'y', shape: [1, 4, 8, 8] };
let seed = 100;
const w = (name: string, shape: number[], std = 0.5): OnnxTensorSpec => ({ name, shape, data: normalFloat32(shape.reduce((a, b) => a * b, 1), seed++, std) });
const pos = (name: string, shape: number[]): OnnxTensorSpec => ({ name, shape, data: uniformFloat32(shape.reduce((a, b) => a * b, 1), seed++, 0.5, 1.5) });
const i64 = (name: string, data: number[]): OnnxTensorSpec => ({ name, shape: [data.length], dtype: 'int64', data });
const f32 = (name: string, data: number[], shape = [data.length]): OnnxTensorSpec => ({ name, shape, data: Float32Array.from(data) });

interface Spec {
  nodes: OnnxNodeSpec[];
  inputs?: OnnxValueSpec[];
  /** Output shapes, named out0, out1, … (the last node's outputs unless nodes name them). */
  out: number[][];
  /** Output dtype (default float32). */
  outDtype?: OnnxDType;
  inits?: OnnxTensorSpec[];
  opset?: number;
}

function model(s: Spec): Uint8Array {
  return buildOnnxModel({
    opset: s.opset ?? 13,
    inputs: s.inputs ?? [X],
    outputs: s.out.map((shape, i) => ({ name: `out${i}`, shape, dtype: s.outDtype })),
    initializers: s.inits ?? [],
    nodes: s.nodes,
  });
}

/** One node reading `inputs`, writing out0…outN. */
function one(op: string, inputs: string[], out: number[][], o: { attrs?: Record<string, AttrValue>; inits?: OnnxTensorSpec[]; inputs?: OnnxValueSpec[]; opset?: number } = {}): () => Uint8Array {
  return () => model({ nodes: [{ op, inputs, outputs: out.map((_, i) => `out${i}`), attrs: o.attrs }], out, inits: o.inits, inputs: o.inputs, opset: o.opset });
}

const S = [1, 4, 8, 8];
const fixture = (file: string) => new Uint8Array(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'onnx', file)));
const unary = (op: string, extra: Partial<SingleOpModel> = {}, attrs?: Record<string, AttrValue>, opset?: number): SingleOpModel => ({
  name: op,
  ops: [op],
  bytes: one(op, ['x'], [S], { attrs, opset }),
  ...extra,
});
const binary = (op: string): SingleOpModel => ({ name: op, ops: [op], bytes: one(op, ['x', 'y'], [S], { inputs: [X, Y] }) });
const withConst = (op: string, c: OnnxTensorSpec): SingleOpModel => ({ name: `${op} (constant ${c.shape.join('×')})`, ops: [op], bytes: one(op, ['x', c.name], [S], { inits: [c] }) });

export const SINGLE_OP_MODELS: SingleOpModel[] = [
  { name: 'Conv 3×3', ops: ['Conv'], bytes: one('Conv', ['x', 'w', 'b'], [[1, 8, 8, 8]], { attrs: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) }, inits: [w('w', [8, 4, 3, 3]), w('b', [8], 0.1)] }) },
  // grouped: group sizes (C/group, M/group) both multiples of 4 → one grouped CONV_2D; otherwise split per group
  { name: 'Conv grouped, group size 4 (one grouped CONV_2D)', ops: ['Conv'], bytes: one('Conv', ['x', 'w', 'b'], [[1, 8, 8, 8]], { inputs: [{ name: 'x', shape: [1, 8, 8, 8] }], attrs: { group: attr.int(2), kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) }, inits: [w('w', [8, 4, 3, 3]), w('b', [8], 0.1)] }) },
  { name: 'Conv grouped, group size 8 stride 2 (one grouped CONV_2D)', ops: ['Conv'], bytes: one('Conv', ['x', 'w', 'b'], [[1, 32, 4, 4]], { inputs: [{ name: 'x', shape: [1, 32, 8, 8] }], attrs: { group: attr.int(4), kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) }, inits: [w('w', [32, 8, 3, 3]), w('b', [32], 0.1)] }) },
  {
    name: 'Conv grouped, group size 4, float16 model (grouped CONV_2D, fp16 weights behind DEQUANTIZE)',
    ops: ['Conv'],
    bytes: () => {
      const half = (t: OnnxTensorSpec): OnnxTensorSpec => ({ ...t, dtype: 'float16', data: Uint16Array.from(t.data as Float32Array, floatToHalf) });
      return model({ nodes: [{ op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['out0'], attrs: { group: attr.int(2), kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) } }], inputs: [{ name: 'x', shape: [1, 8, 8, 8], dtype: 'float16' }], out: [[1, 8, 8, 8]], outDtype: 'float16', inits: [half(w('w', [8, 4, 3, 3])), half(w('b', [8], 0.1))] });
    },
  },
  { name: 'Conv grouped, group size 2 (split)', ops: ['Conv'], bytes: one('Conv', ['x', 'w'], [[1, 8, 8, 8]], { attrs: { group: attr.int(2), kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) }, inits: [w('w', [8, 2, 3, 3])] }) },
  { name: 'Conv grouped, 4 in / 2 out per group (split)', ops: ['Conv'], bytes: one('Conv', ['x', 'w'], [[1, 4, 8, 8]], { inputs: [{ name: 'x', shape: [1, 8, 8, 8] }], attrs: { group: attr.int(2), kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) }, inits: [w('w', [4, 4, 3, 3])] }) },
  { name: 'Conv depthwise stride 2', ops: ['Conv'], bytes: one('Conv', ['x', 'w'], [[1, 4, 4, 4]], { attrs: { group: attr.int(4), kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]), strides: attr.ints([2, 2]) }, inits: [w('w', [4, 1, 3, 3])] }) },
  { name: 'Conv dilated 2', ops: ['Conv'], bytes: one('Conv', ['x', 'w'], [[1, 4, 8, 8]], { attrs: { dilations: attr.ints([2, 2]), kernel_shape: attr.ints([3, 3]), pads: attr.ints([2, 2, 2, 2]) }, inits: [w('w', [4, 4, 3, 3])] }) },
  { name: 'Conv asymmetric pads', ops: ['Conv'], bytes: one('Conv', ['x', 'w'], [[1, 4, 8, 8]], { attrs: { kernel_shape: attr.ints([2, 2]), pads: attr.ints([0, 0, 1, 1]) }, inits: [w('w', [4, 4, 2, 2])] }) },
  { name: 'Conv auto_pad SAME_UPPER', ops: ['Conv'], bytes: one('Conv', ['x', 'w'], [[1, 4, 4, 4]], { attrs: { auto_pad: attr.string('SAME_UPPER'), kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]) }, inits: [w('w', [4, 4, 3, 3])] }) },
  { name: 'ConvTranspose stride 2 + output_padding', ops: ['ConvTranspose'], bytes: one('ConvTranspose', ['x', 'w', 'b'], [[1, 6, 16, 16]], { attrs: { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]), output_padding: attr.ints([1, 1]) }, inits: [w('w', [4, 6, 3, 3]), w('b', [6], 0.1)] }) },
  { name: 'ConvTranspose 2×2 stride 2', ops: ['ConvTranspose'], bytes: one('ConvTranspose', ['x', 'w'], [[1, 4, 16, 16]], { attrs: { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) }, inits: [w('w', [4, 4, 2, 2])] }) },
  { name: 'BatchNormalization', ops: ['BatchNormalization'], bytes: one('BatchNormalization', ['x', 's', 'b', 'm', 'v'], [S], { inits: [pos('s', [4]), w('b', [4], 0.1), w('m', [4], 0.1), pos('v', [4])] }) },
  {
    name: 'BatchNormalization training_mode=1 (batch of 2, running mean/var outputs)',
    ops: ['BatchNormalization'],
    bytes: one('BatchNormalization', ['x', 's', 'b', 'm', 'v'], [[2, 4, 8, 8], [4], [4]], { opset: 15, attrs: { training_mode: attr.int(1), momentum: attr.float(0.8) }, inputs: [{ name: 'x', shape: [2, 4, 8, 8] }], inits: [pos('s', [4]), w('b', [4], 0.1), w('m', [4], 0.1), pos('v', [4])] }),
  },
  unary('Relu'),
  unary('Sigmoid'),
  unary('Tanh'),
  { name: 'Clip (0, 6)', ops: ['Clip'], bytes: one('Clip', ['x', 'lo', 'hi'], [S], { inits: [f32('lo', [0], []), f32('hi', [6], [])] }), inputRange: [-8, 8] },
  { name: 'Clip (-0.5, 0.5)', ops: ['Clip'], bytes: one('Clip', ['x', 'lo', 'hi'], [S], { inits: [f32('lo', [-0.5], []), f32('hi', [0.5], [])] }) },
  binary('Add'),
  withConst('Add', w('c', [1, 4, 1, 1])),
  binary('Sub'),
  binary('Mul'),
  withConst('Mul', w('c', [4, 1, 1])),
  { name: 'Div', ops: ['Div'], bytes: one('Div', ['x', 'c'], [S], { inits: [pos('c', [1, 4, 8, 8])] }) },
  { name: 'Concat (channels)', ops: ['Concat'], bytes: one('Concat', ['x', 'y'], [[1, 8, 8, 8]], { inputs: [X, Y], attrs: { axis: attr.int(1) } }) },
  { name: 'MaxPool 3×3/2', ops: ['MaxPool'], bytes: one('MaxPool', ['x'], [[1, 4, 4, 4]], { attrs: { kernel_shape: attr.ints([3, 3]), strides: attr.ints([2, 2]), pads: attr.ints([1, 1, 1, 1]) } }) },
  { name: 'AveragePool 2×2/2', ops: ['AveragePool'], bytes: one('AveragePool', ['x'], [[1, 4, 4, 4]], { attrs: { kernel_shape: attr.ints([2, 2]), strides: attr.ints([2, 2]) } }) },
  { name: 'AveragePool 3×3 padded, count_include_pad', ops: ['AveragePool'], bytes: one('AveragePool', ['x'], [S], { attrs: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]), count_include_pad: attr.int(1) } }) },
  unary('GlobalAveragePool', { bytes: one('GlobalAveragePool', ['x'], [[1, 4, 1, 1]]) }),
  unary('GlobalMaxPool', { bytes: one('GlobalMaxPool', ['x'], [[1, 4, 1, 1]]) }),
  { name: 'Upsample nearest ×2 (opset 9)', ops: ['Upsample'], bytes: one('Upsample', ['x', 's'], [[1, 4, 16, 16]], { opset: 9, attrs: { mode: attr.string('nearest') }, inits: [f32('s', [1, 1, 2, 2])] }) },
  { name: 'Resize linear ×2 pytorch_half_pixel', ops: ['Resize'], bytes: one('Resize', ['x', '', 's'], [[1, 4, 16, 16]], { attrs: { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('pytorch_half_pixel') }, inits: [f32('s', [1, 1, 2, 2])] }) },
  { name: 'Resize linear align_corners', ops: ['Resize'], bytes: one('Resize', ['x', '', 's'], [[1, 4, 16, 16]], { attrs: { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('align_corners') }, inits: [f32('s', [1, 1, 2, 2])] }) },
  { name: 'Resize nearest ×2 asymmetric', ops: ['Resize'], bytes: one('Resize', ['x', '', 's'], [[1, 4, 16, 16]], { attrs: { mode: attr.string('nearest'), coordinate_transformation_mode: attr.string('asymmetric'), nearest_mode: attr.string('floor') }, inits: [f32('s', [1, 1, 2, 2])] }) },
  { name: 'Reshape to [1, 256]', ops: ['Reshape'], bytes: one('Reshape', ['x', 's'], [[1, 256]], { inits: [i64('s', [1, -1])] }) },
  { name: 'Flatten', ops: ['Flatten'], bytes: one('Flatten', ['x'], [[1, 256]], { attrs: { axis: attr.int(1) } }) },
  { name: 'Transpose (swap H, W)', ops: ['Transpose'], bytes: one('Transpose', ['x'], [S], { attrs: { perm: attr.ints([0, 1, 3, 2]) } }) },
  { name: 'Softmax (channels, opset 13)', ops: ['Softmax'], bytes: one('Softmax', ['x'], [S], { attrs: { axis: attr.int(1) } }), inputRange: [-4, 4] },
  { name: 'Softmax (last axis, opset 11)', ops: ['Softmax'], bytes: one('Softmax', ['x'], [[1, 16]], { opset: 11, inputs: [{ name: 'x', shape: [1, 16] }], attrs: { axis: attr.int(1) } }), inputRange: [-4, 4] },
  { name: 'Gemm transB + bias', ops: ['Gemm'], bytes: one('Gemm', ['x', 'w', 'b'], [[1, 8]], { inputs: [{ name: 'x', shape: [1, 16] }], attrs: { transB: attr.int(1) }, inits: [w('w', [8, 16], 0.25), w('b', [8], 0.1)] }) },
  { name: 'MatMul [1,16]×[16,8]', ops: ['MatMul'], bytes: one('MatMul', ['x', 'w'], [[1, 8]], { inputs: [{ name: 'x', shape: [1, 16] }], inits: [w('w', [16, 8], 0.25)] }) },
  { name: 'Slice (crop)', ops: ['Slice'], bytes: one('Slice', ['x', 'st', 'en', 'ax'], [[1, 4, 6, 6]], { inits: [i64('st', [1, 2]), i64('en', [7, 8]), i64('ax', [2, 3])] }) },
  { name: 'Slice (step 2)', ops: ['Slice'], bytes: one('Slice', ['x', 'st', 'en', 'ax', 'sp'], [[1, 4, 4, 4]], { inits: [i64('st', [0, 0]), i64('en', [8, 8]), i64('ax', [2, 3]), i64('sp', [2, 2])] }) },
  { name: 'Slice (channels)', ops: ['Slice'], bytes: one('Slice', ['x', 'st', 'en', 'ax'], [[1, 2, 8, 8]], { inits: [i64('st', [1]), i64('en', [3]), i64('ax', [1])] }) },
  { name: 'Split (channels 2+2)', ops: ['Split'], bytes: one('Split', ['x', 'sp'], [[1, 2, 8, 8], [1, 2, 8, 8]], { attrs: { axis: attr.int(1) }, inits: [i64('sp', [2, 2])] }) },
  { name: 'Squeeze', ops: ['Squeeze'], bytes: one('Squeeze', ['x', 'ax'], [[1, 4, 8]], { inputs: [{ name: 'x', shape: [1, 4, 1, 8] }], inits: [i64('ax', [2])] }) },
  { name: 'Unsqueeze', ops: ['Unsqueeze'], bytes: one('Unsqueeze', ['x', 'ax'], [[1, 4, 1, 8]], { inputs: [{ name: 'x', shape: [1, 4, 8] }], inits: [i64('ax', [2])] }) },
  { name: 'Expand', ops: ['Expand'], bytes: one('Expand', ['x', 's'], [S], { inputs: [{ name: 'x', shape: [1, 4, 1, 8] }], inits: [i64('s', [1, 4, 8, 8])] }) },
  { name: 'Tile', ops: ['Tile'], bytes: one('Tile', ['x', 'r'], [[1, 4, 16, 16]], { inits: [i64('r', [1, 1, 2, 2])] }) },
  unary('LeakyRelu', {}, { alpha: attr.float(0.1) }),
  { name: 'PRelu (per channel)', ops: ['PRelu'], bytes: one('PRelu', ['x', 's'], [S], { inits: [w('s', [4, 1, 1], 0.3)] }) },
  unary('Elu'),
  unary('HardSigmoid', { inputRange: [-4, 4] }),
  unary('HardSwish', { inputRange: [-4, 4] }, undefined, 14),
  unary('Gelu', {}, undefined, 20),
  {
    name: 'GELU (Erf pattern)',
    ops: ['Div', 'Erf', 'Add', 'Mul'],
    bytes: () =>
      model({
        nodes: [
          { op: 'Div', inputs: ['x', 'sqrt2'], outputs: ['d'] },
          { op: 'Erf', inputs: ['d'], outputs: ['e'] },
          { op: 'Add', inputs: ['e', 'one'], outputs: ['a'] },
          { op: 'Mul', inputs: ['x', 'a'], outputs: ['m'] },
          { op: 'Mul', inputs: ['m', 'half'], outputs: ['out0'] },
        ],
        out: [S],
        inits: [f32('sqrt2', [Math.SQRT2], []), f32('one', [1], []), f32('half', [0.5], [])],
      }),
    inputRange: [-3, 3],
  },
  unary('Erf', { inputRange: [-5, 5] }),
  unary('Exp', { inputRange: [-3, 3] }),
  unary('Log', { inputRange: [0.05, 4] }),
  unary('Sqrt', { inputRange: [0.01, 4] }),
  unary('Abs'),
  unary('Neg'),
  unary('Reciprocal', { inputRange: [0.25, 4] }),
  { name: 'Pow (x²)', ops: ['Pow'], bytes: one('Pow', ['x', 'p'], [S], { inits: [f32('p', [2], [])] }) },
  { name: 'Pow (x^0.5)', ops: ['Pow'], bytes: one('Pow', ['x', 'p'], [S], { inits: [f32('p', [0.5], [])] }), inputRange: [0.01, 4] },
  binary('Min'),
  binary('Max'),
  ...(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual'] as const).map((cmp): SingleOpModel => ({
    name: `Where(${cmp})`,
    ops: [cmp, 'Where'],
    bytes: () =>
      model({
        inputs: [X, Y],
        nodes: [
          // Equal on random floats is almost never true: compare rounded-to-zero values (Relu) instead.
          ...(cmp === 'Equal' ? [{ op: 'Relu', inputs: ['x'], outputs: ['rx'] }, { op: 'Relu', inputs: ['y'], outputs: ['ry'] }] : []),
          { op: cmp, inputs: cmp === 'Equal' ? ['rx', 'ry'] : ['x', 'y'], outputs: ['c'] },
          { op: 'Where', inputs: ['c', 'x', 'y'], outputs: ['out0'] },
        ],
        out: [S],
      }),
  })),
  { name: 'ReduceMean (H, W, keepdims)', ops: ['ReduceMean'], bytes: one('ReduceMean', ['x'], [[1, 4, 1, 1]], { attrs: { axes: attr.ints([2, 3]), keepdims: attr.int(1) } }) },
  { name: 'ReduceMean (channels)', ops: ['ReduceMean'], bytes: one('ReduceMean', ['x'], [[1, 1, 8, 8]], { attrs: { axes: attr.ints([1]), keepdims: attr.int(1) } }) },
  { name: 'ReduceSum (channels, axes input)', ops: ['ReduceSum'], bytes: one('ReduceSum', ['x', 'ax'], [[1, 1, 8, 8]], { attrs: { keepdims: attr.int(1) }, inits: [i64('ax', [1])] }) },
  { name: 'ReduceMax (H, W)', ops: ['ReduceMax'], bytes: one('ReduceMax', ['x'], [[1, 4, 1, 1]], { attrs: { axes: attr.ints([2, 3]), keepdims: attr.int(1) } }) },
  { name: 'ReduceMin (channels)', ops: ['ReduceMin'], bytes: one('ReduceMin', ['x'], [[1, 1, 8, 8]], { attrs: { axes: attr.ints([1]), keepdims: attr.int(1) } }) },
  { name: 'ReduceProd (channels)', ops: ['ReduceProd'], bytes: one('ReduceProd', ['x'], [[1, 1, 8, 8]], { attrs: { axes: attr.ints([1]), keepdims: attr.int(1) } }), inputRange: [0.5, 1.5] },
  { name: 'ReduceL1 (channels)', ops: ['ReduceL1'], bytes: one('ReduceL1', ['x'], [[1, 1, 8, 8]], { attrs: { axes: attr.ints([1]), keepdims: attr.int(1) } }) },
  { name: 'ReduceL2 (H, W)', ops: ['ReduceL2'], bytes: one('ReduceL2', ['x'], [[1, 4, 1, 1]], { attrs: { axes: attr.ints([2, 3]), keepdims: attr.int(1) } }) },
  { name: 'ReduceSumSquare (channels, keepdims 0)', ops: ['ReduceSumSquare'], bytes: one('ReduceSumSquare', ['x'], [[1, 8, 8]], { attrs: { axes: attr.ints([1]), keepdims: attr.int(0) } }) },
  { name: 'ReduceLogSum (channels)', ops: ['ReduceLogSum'], bytes: one('ReduceLogSum', ['x'], [[1, 1, 8, 8]], { attrs: { axes: attr.ints([1]), keepdims: attr.int(1) } }), inputRange: [0.5, 1.5] },
  { name: 'ReduceLogSumExp (W, axes input, keepdims 0)', ops: ['ReduceLogSumExp'], bytes: one('ReduceLogSumExp', ['x', 'ax'], [[1, 4, 8]], { attrs: { keepdims: attr.int(0) }, inits: [i64('ax', [-1])], opset: 18 }) },
  { name: 'ReduceLogSumExp (channels, inputs ~100)', ops: ['ReduceLogSumExp'], bytes: one('ReduceLogSumExp', ['x'], [[1, 1, 8, 8]], { attrs: { axes: attr.ints([1]), keepdims: attr.int(1) } }), inputRange: [90, 110] },
  { name: 'Gather (channels 2, 0)', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[1, 2, 8, 8]], { attrs: { axis: attr.int(1) }, inits: [i64('i', [2, 0])] }) },
  // constant position lists lower to SLICE / one-index GATHER pieces and a CONCATENATION (const-gather.ts)
  { name: 'Gather (batch 2, 0 of 3)', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[2, 4, 8, 8]], { inputs: [{ name: 'x', shape: [3, 4, 8, 8] }], inits: [i64('i', [2, 0])] }) },
  { name: 'Gather (rank 3, tokens 0, 3, 4 of [2,6,8])', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[2, 3, 8]], { attrs: { axis: attr.int(1) }, inputs: [{ name: 'x', shape: [2, 6, 8] }], inits: [i64('i', [0, 3, 4])] }) },
  { name: 'Gather (rank 1, positions 4, 0, 5)', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[3]], { inputs: [{ name: 'x', shape: [6] }], inits: [i64('i', [4, 0, 5])] }) },
  { name: 'Gather (rank 3, channels 4-7, 0-3 of [2,5,8])', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[2, 5, 8]], { attrs: { axis: attr.int(2) }, inputs: [{ name: 'x', shape: [2, 5, 8] }], inits: [i64('i', [4, 5, 6, 7, 0, 1, 2, 3])] }) },
  { name: 'Gather (rank 3, channels 2, 0 of [1,5,3])', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[1, 5, 2]], { attrs: { axis: attr.int(2) }, inputs: [{ name: 'x', shape: [1, 5, 3] }], inits: [i64('i', [2, 0])] }) },
  { name: 'Gather (rank 4, channels 6, 7, 0-5 of 8)', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[1, 8, 4, 4]], { attrs: { axis: attr.int(1) }, inputs: [{ name: 'x', shape: [1, 8, 4, 4] }], inits: [i64('i', [6, 7, 0, 1, 2, 3, 4, 5])] }) },
  { name: 'Gather (rank 2, rows 3, 0)', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[2, 8]], { inputs: [{ name: 'x', shape: [5, 8] }], inits: [i64('i', [3, 0])] }) },
  { name: 'Gather (rank 2, columns 7, -1, 1)', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[5, 3]], { attrs: { axis: attr.int(1) }, inputs: [{ name: 'x', shape: [5, 8] }], inits: [i64('i', [7, -1, 1])] }) },
  { name: 'Gather (cls token: scalar 0, axis 1 of [2,5,8])', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[2, 8]], { attrs: { axis: attr.int(1) }, inputs: [{ name: 'x', shape: [2, 5, 8] }], inits: [{ name: 'i', shape: [], dtype: 'int64', data: [0] }] }) },
  { name: 'Gather run-time indices (embedding lookup of 4 rows)', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[4, 8]], { inputs: [{ name: 'x', shape: [6, 8] }, { name: 'i', shape: [4], dtype: 'int32' }] }) },
  { name: 'Gather (channels, 9 runs: one GATHER)', ops: ['Gather'], bytes: one('Gather', ['x', 'i'], [[1, 9, 4, 4]], { attrs: { axis: attr.int(1) }, inputs: [{ name: 'x', shape: [1, 10, 4, 4] }], inits: [i64('i', [9, 7, 5, 3, 1, 8, 6, 4, 2])] }) },
  {
    name: 'DequantizeLinear int8 weights → Conv (QDQ)',
    ops: ['DequantizeLinear', 'Conv'],
    bytes: () =>
      model({
        nodes: [
          { op: 'DequantizeLinear', inputs: ['wq', 'ws', 'wz'], outputs: ['w'] },
          { op: 'Conv', inputs: ['x', 'w'], outputs: ['out0'], attrs: { kernel_shape: attr.ints([3, 3]), pads: attr.ints([1, 1, 1, 1]) } },
        ],
        out: [S],
        inits: [
          { name: 'wq', shape: [4, 4, 3, 3], dtype: 'int8', data: Array.from(uniformFloat32(144, seed++, -127, 127), Math.round) },
          f32('ws', [0.004], []),
          { name: 'wz', shape: [], dtype: 'int8', data: [0] },
        ],
      }),
  },
  ...(['And', 'Or', 'Xor'] as const).map((op): SingleOpModel => ({
    name: `Where(${op}(x > 0, y < 0))`,
    ops: ['Greater', 'Less', op, 'Where'],
    bytes: () =>
      model({
        inputs: [X, Y],
        nodes: [
          { op: 'Greater', inputs: ['x', 'zero'], outputs: ['a'] },
          { op: 'Less', inputs: ['y', 'zero'], outputs: ['b'] },
          { op, inputs: ['a', 'b'], outputs: ['c'] },
          { op: 'Where', inputs: ['c', 'x', 'y'], outputs: ['out0'] },
        ],
        out: [S],
        inits: [f32('zero', [0], [])],
      }),
  })),
  {
    name: 'Where(Not(x > y))',
    ops: ['Greater', 'Not', 'Where'],
    bytes: () =>
      model({
        inputs: [X, Y],
        nodes: [
          { op: 'Greater', inputs: ['x', 'y'], outputs: ['a'] },
          { op: 'Not', inputs: ['a'], outputs: ['c'] },
          { op: 'Where', inputs: ['c', 'x', 'y'], outputs: ['out0'] },
        ],
        out: [S],
      }),
  },
  { name: 'Pad constant', ops: ['Pad'], bytes: one('Pad', ['x', 'p', 'v'], [[1, 4, 10, 12]], { inits: [i64('p', [0, 0, 1, 2, 0, 0, 1, 2]), f32('v', [0.5], [])] }) },
  { name: 'Pad reflect', ops: ['Pad'], bytes: one('Pad', ['x', 'p'], [[1, 4, 10, 10]], { attrs: { mode: attr.string('reflect') }, inits: [i64('p', [0, 0, 1, 1, 0, 0, 1, 1])] }) },
  { name: 'Pad edge', ops: ['Pad'], bytes: one('Pad', ['x', 'p'], [[1, 4, 10, 10]], { attrs: { mode: attr.string('edge') }, inits: [i64('p', [0, 0, 1, 1, 0, 0, 1, 1])] }) },
  { name: 'DepthToSpace DCR', ops: ['DepthToSpace'], bytes: one('DepthToSpace', ['x'], [[1, 1, 16, 16]], { attrs: { blocksize: attr.int(2), mode: attr.string('DCR') } }) },
  { name: 'DepthToSpace CRD', ops: ['DepthToSpace'], bytes: one('DepthToSpace', ['x'], [[1, 1, 16, 16]], { attrs: { blocksize: attr.int(2), mode: attr.string('CRD') } }) },
  { name: 'SpaceToDepth', ops: ['SpaceToDepth'], bytes: one('SpaceToDepth', ['x'], [[1, 16, 4, 4]], { attrs: { blocksize: attr.int(2) } }) },
  { name: 'InstanceNormalization', ops: ['InstanceNormalization'], bytes: one('InstanceNormalization', ['x', 's', 'b'], [S], { inits: [pos('s', [4]), w('b', [4], 0.1)] }) },
  { name: 'LayerNormalization (last axis)', ops: ['LayerNormalization'], bytes: one('LayerNormalization', ['x', 's', 'b'], [S], { opset: 17, attrs: { axis: attr.int(-1) }, inits: [pos('s', [8]), w('b', [8], 0.1)] }) },
  {
    name: 'view(b, -1) via Shape arithmetic',
    ops: ['Shape', 'Slice', 'Concat', 'Reshape'],
    bytes: () =>
      model({
        nodes: [
          { op: 'Shape', inputs: ['x'], outputs: ['s'] },
          { op: 'Slice', inputs: ['s', 'z', 'o'], outputs: ['b'] },
          { op: 'Concat', inputs: ['b', 'm1'], outputs: ['ns'], attrs: { axis: attr.int(0) } },
          { op: 'Reshape', inputs: ['x', 'ns'], outputs: ['out0'] },
        ],
        out: [[1, 256]],
        inits: [i64('z', [0]), i64('o', [1]), i64('m1', [-1])],
      }),
  },
  {
    name: 'interpolate(size=2·x.shape[2:]) via Shape arithmetic',
    ops: ['Shape', 'Slice', 'Cast', 'Mul', 'Concat', 'Resize'],
    bytes: () =>
      model({
        nodes: [
          { op: 'Shape', inputs: ['x'], outputs: ['s'] },
          { op: 'Slice', inputs: ['s', 'two', 'four'], outputs: ['hw'] },
          { op: 'Cast', inputs: ['hw'], outputs: ['hwf'], attrs: { to: attr.int(1) } },
          { op: 'Mul', inputs: ['hwf', 'k'], outputs: ['hw2f'] },
          { op: 'Cast', inputs: ['hw2f'], outputs: ['hw2'], attrs: { to: attr.int(7) } },
          { op: 'Concat', inputs: ['nc', 'hw2'], outputs: ['sz'], attrs: { axis: attr.int(0) } },
          { op: 'Resize', inputs: ['x', '', '', 'sz'], outputs: ['out0'], attrs: { mode: attr.string('linear'), coordinate_transformation_mode: attr.string('pytorch_half_pixel') } },
        ],
        out: [[1, 4, 16, 16]],
        inits: [i64('two', [2]), i64('four', [4]), f32('k', [2, 2]), i64('nc', [1, 4])],
      }),
  },
  // ops-b (issue 15): normalizations
  { name: 'GroupNormalization opset 21 (2 groups, NHWC in place)', ops: ['GroupNormalization'], bytes: one('GroupNormalization', ['x', 's', 'b'], [S], { opset: 21, attrs: { num_groups: attr.int(2) }, inits: [pos('s', [4]), w('b', [4], 0.1)] }) },
  { name: 'GroupNormalization opset 18 (per-group scale)', ops: ['GroupNormalization'], bytes: one('GroupNormalization', ['x', 's', 'b'], [S], { opset: 18, attrs: { num_groups: attr.int(4) }, inits: [pos('s', [4]), w('b', [4], 0.1)] }) },
  { name: 'LpNormalization p=2 over channels', ops: ['LpNormalization'], bytes: one('LpNormalization', ['x'], [S], { opset: 22, attrs: { p: attr.int(2), axis: attr.int(1) } }) },
  { name: 'LpNormalization p=1 last axis', ops: ['LpNormalization'], bytes: one('LpNormalization', ['x'], [S], { opset: 22, attrs: { p: attr.int(1), axis: attr.int(-1) } }) },
  { name: 'LRN size 3', ops: ['LRN'], bytes: one('LRN', ['x'], [S], { attrs: { size: attr.int(3), alpha: attr.float(0.01), beta: attr.float(0.75), bias: attr.float(1) } }) },
  // ops-b (issue 15): indexing with constant indices, Trilu, IsInf / IsNaN read by a Where
  { name: 'Trilu upper k=1', ops: ['Trilu'], bytes: one('Trilu', ['x', 'k'], [S], { opset: 14, inits: [{ name: 'k', shape: [], dtype: 'int64', data: [1] }] }) },
  { name: 'GatherND constant indices', ops: ['GatherND'], bytes: one('GatherND', ['x', 'idx'], [[2, 8, 8]], { inits: [{ name: 'idx', shape: [2, 2], dtype: 'int64', data: [0, 1, 0, -1] }] }) },
  { name: 'GatherElements constant indices (axis 3)', ops: ['GatherElements'], bytes: one('GatherElements', ['x', 'idx'], [S], { attrs: { axis: attr.int(3) }, inits: [{ name: 'idx', shape: S, dtype: 'int64', data: Array.from({ length: 256 }, (_, i) => (i * 5) % 8) }] }) },
  { name: 'ScatterND constant updates into one channel', ops: ['ScatterND'], bytes: one('ScatterND', ['x', 'idx', 'u'], [S], { inits: [{ name: 'idx', shape: [1, 2], dtype: 'int64', data: [0, 2] }, w('u', [1, 8, 8])] }) },
  // run-time int32 indices (seeded in [-3, 3], negative ones wrapped): GATHER_ND / SCATTER_ND
  { name: 'GatherND run-time indices (batch_dims 2)', ops: ['GatherND'], bytes: one('GatherND', ['x', 'i'], [[1, 4, 3, 8]], { attrs: { batch_dims: attr.int(2) }, inputs: [X, { name: 'i', shape: [1, 4, 3, 1], dtype: 'int32' }] }) },
  { name: 'GatherElements run-time indices (axis 3)', ops: ['GatherElements'], bytes: one('GatherElements', ['x', 'i'], [S], { attrs: { axis: attr.int(3) }, inputs: [X, { name: 'i', shape: S, dtype: 'int32' }] }) },
  { name: 'ScatterElements constant indices (axis 1)', ops: ['ScatterElements'], bytes: one('ScatterElements', ['x', 'idx', 'u'], [S], { attrs: { axis: attr.int(1) }, inits: [{ name: 'idx', shape: [1, 2, 8, 8], dtype: 'int64', data: Array.from({ length: 128 }, (_, i) => (i < 64 ? 3 : 0)) }, w('u', [1, 2, 8, 8])] }) },
  { name: 'ScatterElements run-time indices (axis 3)', ops: ['ScatterElements'], bytes: one('ScatterElements', ['x', 'i', 'u'], [S], { attrs: { axis: attr.int(3) }, inputs: [X, { name: 'i', shape: [1, 4, 8, 2], dtype: 'int32' }], inits: [w('u', [1, 4, 8, 2])] }) },
  { name: 'Scatter (opset 10) run-time indices (axis 2)', ops: ['Scatter'], bytes: one('Scatter', ['x', 'i', 'u'], [S], { attrs: { axis: attr.int(2) }, opset: 10, inputs: [X, { name: 'i', shape: [1, 4, 2, 8], dtype: 'int32' }], inits: [w('u', [1, 4, 2, 8])] }) },
  ...(['none', 'add'] as const).map((reduction): SingleOpModel => ({
    name: `ScatterND run-time indices (reduction ${reduction})`,
    ops: ['ScatterND'],
    bytes: one('ScatterND', ['x', 'i', 'u'], [[8, 8, 4]], { attrs: { reduction: attr.string(reduction) }, opset: 18, inputs: [{ name: 'x', shape: [8, 8, 4] }, { name: 'i', shape: [3, 2], dtype: 'int32' }], inits: [w('u', [3, 4])] }),
  })),
  {
    name: 'Where(IsInf(x / relu(x)), 0, x) and Where(IsNaN(log x), 1, x)',
    ops: ['IsInf', 'IsNaN', 'Where', 'Div', 'Relu', 'Log'],
    bytes: () =>
      model({
        nodes: [
          { op: 'Relu', inputs: ['x'], outputs: ['r'] },
          { op: 'Div', inputs: ['x', 'r'], outputs: ['q'] },
          { op: 'IsInf', inputs: ['q'], outputs: ['inf'] },
          { op: 'Where', inputs: ['inf', 'zero', 'x'], outputs: ['out0'] },
          { op: 'Log', inputs: ['x'], outputs: ['l'] },
          { op: 'IsNaN', inputs: ['l'], outputs: ['nan'] },
          { op: 'Where', inputs: ['nan', 'one', 'x'], outputs: ['out1'] },
        ],
        out: [S, S],
        inits: [f32('zero', [0], []), f32('one', [1], [])],
      }),
  },
  { name: 'LogSoftmax (channels)', ops: ['LogSoftmax'], bytes: one('LogSoftmax', ['x'], [S], { attrs: { axis: attr.int(1) } }), inputRange: [-4, 4] },
  { name: 'TopK (channels, k 2)', ops: ['TopK'], bytes: () => model({ nodes: [{ op: 'TopK', inputs: ['x', 'k'], outputs: ['out0', 'idx'], attrs: { axis: attr.int(1) } }], out: [[1, 2, 8, 8]], inits: [i64('k', [2])] }) },
  { name: 'Einsum bhid,bhjd->bhij', ops: ['Einsum'], bytes: one('Einsum', ['x', 'y'], [[1, 4, 8, 8]], { inputs: [X, Y], attrs: { equation: attr.string('bhid,bhjd->bhij') } }) },
  { name: 'GridSample bilinear zeros', ops: ['GridSample'], bytes: one('GridSample', ['x', 'grid'], [[1, 4, 6, 5]], { opset: 16, inputs: [X, { name: 'grid', shape: [1, 6, 5, 2] }] }), inputRange: [-1.2, 1.2] },
  { name: 'GridSample bilinear reflection align_corners', ops: ['GridSample'], bytes: one('GridSample', ['x', 'grid'], [[1, 4, 6, 5]], { opset: 16, attrs: { padding_mode: attr.string('reflection'), align_corners: attr.int(1) }, inputs: [X, { name: 'grid', shape: [1, 6, 5, 2] }] }), inputRange: [-1.2, 1.2] },
  { name: 'GridSample nearest border', ops: ['GridSample'], bytes: one('GridSample', ['x', 'grid'], [[1, 4, 6, 5]], { opset: 16, attrs: { mode: attr.string('nearest'), padding_mode: attr.string('border') }, inputs: [X, { name: 'grid', shape: [1, 6, 5, 2] }] }), inputRange: [-1.2, 1.2] },
  { name: 'CumSum (width)', ops: ['CumSum'], bytes: one('CumSum', ['x', 'ax'], [S], { opset: 14, inits: [{ name: 'ax', shape: [], dtype: 'int64', data: [3] }] }) },
  { name: 'CumSum (height, reverse)', ops: ['CumSum'], bytes: one('CumSum', ['x', 'ax'], [S], { opset: 14, attrs: { reverse: attr.int(1) }, inits: [{ name: 'ax', shape: [], dtype: 'int64', data: [2] }] }) },
  { name: 'CumSum (channels, exclusive)', ops: ['CumSum'], bytes: one('CumSum', ['x', 'ax'], [S], { opset: 14, attrs: { exclusive: attr.int(1) }, inits: [{ name: 'ax', shape: [], dtype: 'int64', data: [1] }] }) },
  { name: 'CumSum (batch 3, reverse exclusive)', ops: ['CumSum'], bytes: one('CumSum', ['x', 'ax'], [[3, 4, 8, 8]], { opset: 14, attrs: { exclusive: attr.int(1), reverse: attr.int(1) }, inputs: [{ name: 'x', shape: [3, 4, 8, 8] }], inits: [{ name: 'ax', shape: [], dtype: 'int64', data: [0] }] }) },
  // run-time masks with a fully masked query row (row 0) and a half-masked one (row 1): row guard from the masks
  {
    name: 'Attention (run-time float mask, a fully −inf row)',
    ops: ['Where', 'Attention'],
    bytes: () =>
      model({
        opset: 23,
        inputs: [{ name: 'q', shape: [1, 2, 4, 8] }, { name: 'k', shape: [1, 2, 6, 8] }, { name: 'v', shape: [1, 2, 6, 8] }, { name: 'm', shape: [1, 1, 4, 6] }],
        nodes: [
          { op: 'Where', inputs: ['c', 'ninf', 'm'], outputs: ['mask'] },
          { op: 'Attention', inputs: ['q', 'k', 'v', 'mask'], outputs: ['out0'] },
        ],
        out: [[1, 2, 4, 8]],
        inits: [{ name: 'c', dtype: 'bool', shape: [1, 1, 4, 6], data: Uint8Array.from({ length: 24 }, (_, i) => (i < 6 || (i < 12 && i % 2 === 0) ? 1 : 0)) }, f32('ninf', [-Infinity], [])],
      }),
  },
  {
    name: 'Attention (run-time bool mask, a fully masked row)',
    ops: ['Greater', 'And', 'Attention'],
    bytes: () =>
      model({
        opset: 23,
        inputs: [{ name: 'q', shape: [1, 2, 4, 8] }, { name: 'k', shape: [1, 2, 6, 8] }, { name: 'v', shape: [1, 2, 6, 8] }, { name: 'm', shape: [1, 1, 4, 6] }],
        nodes: [
          { op: 'Greater', inputs: ['m', 'half'], outputs: ['keep'] },
          { op: 'And', inputs: ['keep', 'c'], outputs: ['mask'] },
          { op: 'Attention', inputs: ['q', 'k', 'v', 'mask'], outputs: ['out0'] },
        ],
        out: [[1, 2, 4, 8]],
        inits: [{ name: 'c', dtype: 'bool', shape: [1, 1, 4, 6], data: Uint8Array.from({ length: 24 }, (_, i) => (i < 6 ? 0 : 1)) }, f32('half', [-0.5], [])],
      }),
  },
  // torch.onnx dynamo exports (scripts/corpus/masked_attention_fixtures.py)
  { name: 'nn.MultiheadAttention with a run-time key_padding_mask (dynamo opset 23)', ops: ['Attention', 'Where', 'Expand', 'Gemm'], bytes: () => fixture('mha-keypad-dynamo-opset23.onnx') },
  { name: 'DETR sine position embedding (dynamo opset 23)', ops: ['CumSum', 'Sin', 'Cos'], bytes: () => fixture('detr-sine-embed-dynamo-opset23.onnx') },
  { name: 'Hardmax (channels)', ops: ['Hardmax'], bytes: one('Hardmax', ['x'], [S], { attrs: { axis: attr.int(1) } }) },
  { name: 'AffineGrid 2-D', ops: ['AffineGrid'], bytes: one('AffineGrid', ['x', 'size'], [[1, 6, 5, 2]], { opset: 20, inputs: [{ name: 'x', shape: [1, 2, 3] }], inits: [i64('size', [1, 4, 6, 5])] }) },
];

