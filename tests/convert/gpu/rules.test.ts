/**
 * One test per GPU delegate rule: the same node once breaking the rule (the rule id is reported) and
 * once within it (that rule id is absent), so every rule can fail. Facts: tflite-gpu-adb-notes.md §2.
 */
import { describe, expect, it } from 'vitest';
import { checkGpuCompat } from '../../../src/convert/gpu/index.js';
import { GPU_NEVER_DELEGATED, GPU_OP_RULES } from '../../../src/convert/gpu/rules.js';
import { ONNX_OPS } from '../../../src/convert/onnx/ops/index.js';
import type { Attrs } from '../../../src/ir/node.js';
import type { DType } from '../../../src/ir/dtype.js';
import type { BuiltinOpName } from '../../../src/tflite/schema/enums.js';
import { IrBuilder } from '../../helpers/ir-builder.js';

/** Rule ids reported for the node named 'n' built by `build`. */
function rulesOf(build: (b: IrBuilder) => void): string[] {
  const b = new IrBuilder(11);
  build(b);
  const r = checkGpuCompat(b.graph);
  const n = r.nodes.find((x) => x.node === 'n');
  if (!n) throw new Error("no node named 'n'");
  return n.violations.map((v) => v.rule);
}

const X = [1, 4, 4, 8];
const node = (b: IrBuilder, op: BuiltinOpName, inputs: string[], out: number[], attrs: Attrs = {}, dtype?: DType) => b.op(op, inputs, out, attrs, { name: 'n', dtype });
const pads = (b: IrBuilder, rows: number) => b.const(undefined, [rows, 2], new Array(rows * 2).fill(1), { dtype: 'int32' });

/** [rule id, violating graph, compliant graph] */
const CASES: Array<[string, (b: IrBuilder) => void, (b: IrBuilder) => void]> = [
  ['gpu.op-version', (b) => { node(b, 'RELU', [b.input('x', X)], X); b.graph.nodes[0]!.version = 3; }, (b) => { node(b, 'RELU', [b.input('x', X)], X); b.graph.nodes[0]!.version = 2; }],
  ['gpu.activation', (b) => node(b, 'MAX_POOL_2D', [b.input('x', X)], X, { filterH: 1, filterW: 1, strideH: 1, strideW: 1, activation: 'SIGN_BIT' }), (b) => node(b, 'MAX_POOL_2D', [b.input('x', X)], X, { filterH: 1, filterW: 1, strideH: 1, strideW: 1, activation: 'RELU6' })],
  ['gpu.runtime-inputs', (b) => node(b, 'RESHAPE', [b.input('x', X), b.input('s', [2], 'int32')], [16, 8]), (b) => node(b, 'RESHAPE', [b.input('x', X), b.ints([16, 8])], [16, 8])],
  ['gpu.const-input', (b) => node(b, 'SUB', [b.input('x', X), b.const(undefined, [2, 4, 4, 8])], X), (b) => node(b, 'SUB', [b.input('x', X), b.const(undefined, [4, 4, 8])], X)],
  ['gpu.identical-inputs', (b) => { const x = b.input('x', X); node(b, 'SUB', [x, x], X); }, (b) => { const x = b.input('x', X); node(b, 'MUL', [x, x], X); }],
  ['gpu.broadcast', (b) => node(b, 'ADD', [b.input('x', X), b.input('y', [4, 8])], X), (b) => node(b, 'ADD', [b.input('x', X), b.input('y', [4, 4, 8])], X)],
  ['gpu.mul-broadcast-both', (b) => node(b, 'MUL', [b.input('x', [1, 4, 1, 8]), b.input('y', [1, 1, 4, 8])], X), (b) => node(b, 'MUL', [b.input('x', X), b.input('y', [1, 1, 4, 8])], X)],
  ['gpu.attr-positive', (b) => node(b, 'AVERAGE_POOL_2D', [b.input('x', X)], X, { filterH: 0, filterW: 1, strideH: 1, strideW: 1 }), (b) => node(b, 'AVERAGE_POOL_2D', [b.input('x', X)], X, { filterH: 1, filterW: 1, strideH: 1, strideW: 1 })],
  ['gpu.dw-shape', (b) => node(b, 'DEPTHWISE_CONV_2D', [b.input('x', X), b.const(undefined, [1, 3, 3, 8]), b.const(undefined, [4])], X, { strideH: 1, strideW: 1, depthMultiplier: 1 }), (b) => node(b, 'DEPTHWISE_CONV_2D', [b.input('x', X), b.const(undefined, [1, 3, 3, 8]), b.const(undefined, [8])], X, { strideH: 1, strideW: 1, depthMultiplier: 1 })],
  ['gpu.dw-multiplier', (b) => node(b, 'DEPTHWISE_CONV_2D', [b.input('x', [1, 4, 4, 4]), b.const(undefined, [1, 3, 3, 8])], X, { strideH: 1, strideW: 1, depthMultiplier: 2 }), (b) => node(b, 'DEPTHWISE_CONV_2D', [b.input('x', [1, 4, 4, 1]), b.const(undefined, [1, 3, 3, 8])], X, { strideH: 1, strideW: 1, depthMultiplier: 8 })],
  ['gpu.grouped-conv', (b) => node(b, 'CONV_2D', [b.input('x', [1, 4, 4, 6]), b.const(undefined, [6, 1, 1, 2])], [1, 4, 4, 6], { strideH: 1, strideW: 1, dilationH: 1, dilationW: 1 }), (b) => node(b, 'CONV_2D', [b.input('x', [1, 4, 4, 8]), b.const(undefined, [8, 1, 1, 4])], X, { strideH: 1, strideW: 1, dilationH: 1, dilationW: 1 })],
  ['gpu.fc-const-input', (b) => node(b, 'FULLY_CONNECTED', [b.const(undefined, [1, 8]), b.input('w', [4, 8])], [1, 4]), (b) => node(b, 'FULLY_CONNECTED', [b.input('x', [1, 8]), b.const(undefined, [4, 8])], [1, 4])],
  ['gpu.fc-keep-num-dims', (b) => node(b, 'FULLY_CONNECTED', [b.input('x', [1, 2, 8]), b.const(undefined, [4, 8])], [2, 4], { keepNumDims: true }), (b) => node(b, 'FULLY_CONNECTED', [b.input('x', [1, 2, 8]), b.const(undefined, [4, 8])], [1, 2, 4], { keepNumDims: true })],
  ['gpu.fc-weights-format', (b) => node(b, 'FULLY_CONNECTED', [b.input('x', [1, 8]), b.const(undefined, [4, 8])], [1, 4], { weightsFormat: 'SHUFFLED4x16INT8' }), (b) => node(b, 'FULLY_CONNECTED', [b.input('x', [1, 8]), b.const(undefined, [4, 8])], [1, 4])],
  ['gpu.transpose-conv-activation', (b) => node(b, 'TRANSPOSE_CONV', [b.ints([1, 8, 8, 8]), b.const(undefined, [8, 2, 2, 8]), b.input('x', X)], [1, 8, 8, 8], { strideH: 2, strideW: 2, activation: 'RELU' }), (b) => node(b, 'TRANSPOSE_CONV', [b.ints([1, 8, 8, 8]), b.const(undefined, [8, 2, 2, 8]), b.input('x', X)], [1, 8, 8, 8], { strideH: 2, strideW: 2 })],
  ['gpu.concat-axis', (b) => node(b, 'CONCATENATION', [b.input('x', X), b.input('y', X)], [1, 4, 4, 16], { axis: 4 }), (b) => node(b, 'CONCATENATION', [b.input('x', X), b.input('y', X)], [1, 4, 4, 16], { axis: -1 })],
  ['gpu.transpose-perm', (b) => node(b, 'TRANSPOSE', [b.input('x', [8]), b.ints([0])], [8]), (b) => node(b, 'TRANSPOSE', [b.input('x', X), b.ints([0, 3, 1, 2])], [1, 8, 4, 4])],
  ['gpu.softmax-beta', (b) => node(b, 'SOFTMAX', [b.input('x', X)], X, { beta: 0.5 }), (b) => node(b, 'SOFTMAX', [b.input('x', X)], X, { beta: 1 })],
  ['gpu.prelu-alpha', (b) => node(b, 'PRELU', [b.input('x', X), b.const(undefined, [4])], X), (b) => node(b, 'PRELU', [b.input('x', X), b.const(undefined, [1, 1, 8])], X)],
  ['gpu.pad-const', (b) => node(b, 'PAD', [b.input('x', X), b.input('p', [4, 2], 'int32')], [1, 6, 6, 10]), (b) => node(b, 'PAD', [b.input('x', X), pads(b, 4)], [1, 6, 6, 10])],
  ['gpu.pad-shape', (b) => node(b, 'PADV2', [b.input('x', [1, 8]), pads(b, 2), b.const(undefined, [1])], [3, 10]), (b) => node(b, 'PADV2', [b.input('x', [1, 4, 8]), pads(b, 3), b.const(undefined, [1])], [3, 6, 10])],
  ['gpu.mirror-pad-mode', (b) => node(b, 'MIRROR_PAD', [b.input('x', X), pads(b, 4)], [1, 6, 6, 10], { mirrorMode: 'SYMMETRIC' }), (b) => node(b, 'MIRROR_PAD', [b.input('x', X), pads(b, 4)], [1, 6, 6, 10], { mirrorMode: 'REFLECT' })],
  ['gpu.reduce-axes', (b) => node(b, 'MEAN', [b.input('x', X), b.const(undefined, [2], [1, 2])], [1, 1, 1, 8], { keepDims: true }), (b) => node(b, 'REDUCE_MAX', [b.input('x', X), b.ints([1, 2])], [1, 1, 1, 8], { keepDims: true })],
  ['gpu.resize-align-half', (b) => node(b, 'RESIZE_BILINEAR', [b.input('x', X), b.ints([8, 8])], [1, 8, 8, 8], { alignCorners: true, halfPixelCenters: true }), (b) => node(b, 'RESIZE_BILINEAR', [b.input('x', X), b.ints([8, 8])], [1, 8, 8, 8], { halfPixelCenters: true })],
  ['gpu.block-size', (b) => node(b, 'DEPTH_TO_SPACE', [b.input('x', X)], X, { blockSize: 1 }), (b) => node(b, 'DEPTH_TO_SPACE', [b.input('x', X)], [1, 8, 8, 2], { blockSize: 2 })],
  ['gpu.slice-rank', (b) => node(b, 'SLICE', [b.input('x', [16, 8]), b.ints([0, 0]), b.ints([8, 8])], [8, 8]), (b) => node(b, 'SLICE', [b.input('x', [1, 16, 8]), b.ints([0, 0, 0]), b.ints([1, 8, 8])], [1, 8, 8])],
  ['gpu.inputs', (b) => node(b, 'STRIDED_SLICE', [b.input('x', X), b.ints([0, 0, 0, 0]), b.ints([1, 2, 4, 8])], [1, 2, 4, 8]), (b) => node(b, 'STRIDED_SLICE', [b.input('x', X), b.ints([0, 0, 0, 0]), b.ints([1, 2, 4, 8]), b.ints([1, 1, 1, 1])], [1, 2, 4, 8])],
  ['gpu.strided-slice-mask', (b) => node(b, 'STRIDED_SLICE', [b.input('x', X), b.ints([0, 0, 0, 0]), b.ints([1, 2, 4, 8]), b.ints([1, 1, 1, 1])], [2, 4, 8], { shrinkAxisMask: 1 }), (b) => node(b, 'STRIDED_SLICE', [b.input('x', X), b.ints([0, 0, 0, 0]), b.ints([1, 2, 4, 8]), b.ints([1, 1, 1, 1])], [1, 2, 4, 8], { beginMask: 15, endMask: 1 })],
  ['gpu.bmm-const-2d', (b) => node(b, 'BATCH_MATMUL', [b.input('x', [1, 4, 8]), b.const(undefined, [1, 8, 4])], [1, 4, 4]), (b) => node(b, 'BATCH_MATMUL', [b.input('x', [1, 4, 8]), b.const(undefined, [8, 4])], [1, 4, 4])],
  ['gpu.bmm-const-first', (b) => node(b, 'BATCH_MATMUL', [b.const(undefined, [6, 3]), b.input('y', [2, 3, 2])], [2, 6, 2]), (b) => node(b, 'BATCH_MATMUL', [b.input('y', [2, 2, 3]), b.const(undefined, [3, 6])], [2, 2, 6])],
  ['gpu.cumsum-options', (b) => node(b, 'CUMSUM', [b.input('x', X), b.ints([2])], X, { exclusive: false, reverse: true }), (b) => node(b, 'CUMSUM', [b.input('x', X), b.ints([2])], X, { exclusive: false, reverse: false })],
  ['gpu.cumsum-axis', (b) => node(b, 'CUMSUM', [b.input('x', X), b.ints([0])], X, { exclusive: false, reverse: false }), (b) => node(b, 'CUMSUM', [b.input('x', X), b.ints([3])], X, { exclusive: false, reverse: false })],
  ['gpu.one-hot-axis', (b) => node(b, 'ONE_HOT', [b.input('i', [1, 4, 4], 'int32'), b.ints([8]), b.const(undefined, [], [1]), b.const(undefined, [], [0])], [1, 8, 4, 4], { axis: 1 }), (b) => node(b, 'ONE_HOT', [b.input('i', [1, 4, 4], 'int32'), b.ints([8]), b.const(undefined, [], [1]), b.const(undefined, [], [0])], X, { axis: -1 })],
  ['gpu.bmm-broadcast', (b) => node(b, 'BATCH_MATMUL', [b.input('x', [3, 1, 3, 4]), b.input('y', [1, 2, 4, 2])], [3, 2, 3, 2]), (b) => node(b, 'BATCH_MATMUL', [b.input('x', [3, 2, 3, 4]), b.input('y', [3, 2, 4, 2])], [3, 2, 3, 2])],
  ['gpu.const-input-layout', (b) => node(b, 'MUL', [b.input('x', [3, 4, 5]), b.const(undefined, [3, 4, 5])], [3, 4, 5]), (b) => node(b, 'MUL', [b.input('x', [3, 4, 5]), b.const(undefined, [1, 4, 5])], [3, 4, 5])],
  ['gpu.tensor-dtype', (b) => node(b, 'MINIMUM', [b.input('x', X, 'int8'), b.const(undefined, [1], [3], { dtype: 'int8' })], X, {}, 'int8'), (b) => { node(b, 'MINIMUM', [b.input('x', X, 'int8'), b.const(undefined, [1], [3], { dtype: 'int8' })], X, {}, 'int8'); for (const t of b.graph.tensors.values()) if (t.dtype === 'int8') t.quant = { scale: [0.1], zeroPoint: [0] }; }],
  ['gpu.gather-indices', (b) => node(b, 'GATHER', [b.input('x', [1, 8, 4]), b.input('i', [1, 2], 'int32')], [1, 1, 2, 4], { axis: 1 }), (b) => node(b, 'GATHER', [b.input('x', [1, 8, 4]), b.input('i', [2], 'int32')], [1, 2, 4], { axis: 1 })],
  ['gpu.gather-input', (b) => node(b, 'GATHER', [b.input('x', [1, 8, 4], 'int32'), b.input('i', [2], 'int32')], [1, 2, 4], { axis: 1 }, 'int32'), (b) => node(b, 'GATHER', [b.input('x', [1, 8, 4]), b.input('i', [2], 'int32')], [1, 2, 4], { axis: 1 })],
  ['gpu.gather-const-indices', (b) => node(b, 'GATHER', [b.input('x', [1, 8, 4]), b.ints([0, 1])], [1, 2, 4], { axis: 1 }), (b) => node(b, 'GATHER', [b.input('x', [1, 8, 4]), b.ints([5])], [1, 1, 4], { axis: 1 })],
  ['gpu.dequantize-int16', (b) => node(b, 'DEQUANTIZE', [b.input('x', X, 'int16')], X), (b) => node(b, 'DEQUANTIZE', [b.input('x', X, 'int8')], X)],
  ['gpu.cast-types', (b) => node(b, 'CAST', [b.input('x', X, 'int32')], X, {}, 'bool'), (b) => node(b, 'CAST', [b.input('x', X, 'int32')], X, {}, 'float32')],
  ['gpu.select', (b) => node(b, 'SELECT_V2', [b.input('c', X, 'bool'), b.input('a', [1, 1, 4, 8]), b.input('e', X)], X), (b) => node(b, 'SELECT_V2', [b.input('c', X, 'bool'), b.input('a', X), b.const(undefined, [1])], X)],
  ['gpu.bool-consumer', (b) => b.output(node(b, 'LESS', [b.input('x', X), b.input('y', X)], X, {}, 'bool')), (b) => { const c = node(b, 'LESS', [b.input('x', X), b.input('y', X)], X, {}, 'bool'); b.output(b.op('SELECT_V2', [c, 'x', 'y'], X)); }],
  ['gpu.rank-above-4', (b) => node(b, 'RELU', [b.input('x', [1, 2, 4, 4, 8])], [1, 2, 4, 4, 8]), (b) => node(b, 'RELU', [b.input('x', X)], X)],
  ['gpu.rank-0-runtime', (b) => node(b, 'RELU', [b.input('x', [])], []), (b) => node(b, 'RELU', [b.input('x', [1])], [1])],
  ['gpu.tensor-dtype', (b) => node(b, 'ADD', [b.input('x', X, 'int32'), b.input('y', X, 'int32')], X, {}, 'int32'), (b) => node(b, 'ADD', [b.input('x', X, 'float16'), b.input('y', X, 'float16')], X, {}, 'float16')],
  ['gpu.unsupported-op', (b) => node(b, 'EXPAND_DIMS', [b.input('x', [4, 4, 8]), b.ints([0])], X), (b) => node(b, 'RESHAPE', [b.input('x', [4, 4, 8]), b.ints(X)], X)],
];

describe('GPU rule table: each rule fails its violating node and passes its compliant twin', () => {
  for (const [rule, bad, good] of CASES) {
    it(rule, () => {
      expect(rulesOf(bad)).toContain(rule);
      expect(rulesOf(good)).not.toContain(rule);
    });
  }

  it('gpu.per-channel-runtime: a runtime tensor with per-channel quant params is rejected, per-tensor passes', () => {
    const build = (scales: number[]) => (b: IrBuilder) => {
      const x = b.input('x', X, 'int8');
      b.graph.tensor(x).quant = { scale: scales, zeroPoint: scales.map(() => 0), axis: 3 };
      node(b, 'RELU', [x], X, {}, 'int8');
    };
    expect(rulesOf(build([0.1, 0.2]))).toContain('gpu.per-channel-runtime');
    expect(rulesOf(build([0.1]))).not.toContain('gpu.per-channel-runtime');
  });

  it('gpu.bool-consumer: a bool chain (LESS → NOT_EQUAL, as Xor exports) ending in SELECT_V2 passes; into an arithmetic op it fails', () => {
    const chain = (end: 'SELECT_V2' | 'MUL') => (b: IrBuilder) => {
      const x = b.input('x', X);
      const y = b.input('y', X);
      const l = node(b, 'LESS', [x, y], X, {}, 'bool');
      const g = b.op('GREATER', [x, y], X, {}, { dtype: 'bool' });
      const xor = b.op('NOT_EQUAL', [l, g], X, {}, { dtype: 'bool' });
      b.output(end === 'SELECT_V2' ? b.op('SELECT_V2', [xor, x, y], X) : b.op('MUL', [xor, x], X, { activation: 'NONE' }));
    };
    expect(rulesOf(chain('SELECT_V2'))).toEqual([]);
    const b = new IrBuilder(3);
    chain('MUL')(b);
    const r = checkGpuCompat(b.graph);
    expect(r.nodes.find((n) => n.op === 'NOT_EQUAL')!.violations.map((v) => v.rule)).toContain('gpu.bool-consumer');
  });

  it('CUSTOM: only the four custom ops the delegate implements', () => {
    const custom = (code: string) => (b: IrBuilder) => node(b, 'CUSTOM', [b.input('x', X), b.input('y', X)], X, { customCode: code });
    expect(rulesOf(custom('FlexErf'))).toContain('gpu.unsupported-op');
    expect(rulesOf(custom('Resampler'))).toEqual([]);
  });

  it('every op listed as never delegated really has no row', () => {
    for (const op of GPU_NEVER_DELEGATED) expect(GPU_OP_RULES[op], op).toBeUndefined();
  });

  it('every TFLite op an ONNX importer declares in `emits` is decided: a rule row or listed as never delegated', () => {
    const undecided = ONNX_OPS.flatMap((r) => (r.emits ?? []).filter((op) => !GPU_OP_RULES[op] && !GPU_NEVER_DELEGATED.includes(op)).map((op) => `${r.onnxOp}→${op}`));
    expect(undecided).toEqual([]);
  });

  it('the ops issue 3 makes the converter emit all have a decision', () => {
    const emitted = [
      'LEAKY_RELU', 'PRELU', 'HARD_SWISH', 'ELU', 'GELU', 'EXP', 'LOG', 'SQRT', 'RSQRT', 'ABS', 'NEG', 'POW', 'MINIMUM', 'MAXIMUM',
      'MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'PAD', 'PADV2', 'MIRROR_PAD', 'STRIDED_SLICE', 'SLICE', 'SPLIT', 'SPLIT_V', 'TILE',
      'SELECT_V2', 'EQUAL', 'LESS', 'GREATER', 'TRANSPOSE_CONV', 'DEPTH_TO_SPACE', 'SPACE_TO_DEPTH', 'SQUARED_DIFFERENCE', 'CAST',
      'QUANTIZE', 'DEQUANTIZE', 'SQUEEZE', 'EXPAND_DIMS', 'BROADCAST_TO', 'GATHER', 'GATHER_ND', 'ARG_MAX',
    ];
    for (const op of emitted) expect(GPU_OP_RULES[op] !== undefined || GPU_NEVER_DELEGATED.includes(op), op).toBe(true);
  });
});
