/**
 * Every op with an int8 rule, one at a time: x → op → y quantized to int8,
 * written, read back, run in LiteRT (its int8 kernels are the oracle) and
 * compared with the float op. An op whose int8 kernel refuses our parameters
 * fails here, not on a user's model.
 */
import { describe, expect, it } from 'vitest';
import { IrBuilder } from '../helpers/ir-builder.js';
import { uniformFloat32 } from '../../src/core/random.js';
import { calibrate } from '../../src/quantize/calibrate.js';
import { quantizeInt8 } from '../../src/quantize/int8.js';
import { liteRtRuntime } from '../../src/runtime/litert.js';
import { readTflite, writeTflite } from '../../src/tflite/index.js';
import type { HostTensor } from '../../src/runtime/types.js';
import { sqnrDb } from './sqnr.js';

const S = [1, 4, 4, 8];
type Case = { op: string; build(b: IrBuilder, x: string): string; lo?: number; hi?: number; minSqnr?: number };

const CASES: Case[] = [
  { op: 'CONV_2D', build: (b, x) => b.conv2d(x, { out: 6, k: 3 }) },
  { op: 'DEPTHWISE_CONV_2D', build: (b, x) => b.depthwise(x, { k: 3 }) },
  { op: 'FULLY_CONNECTED', build: (b, x) => b.fc(b.reshape(x, [1, 128]), 12) },
  {
    op: 'TRANSPOSE_CONV',
    build: (b, x) =>
      b.op('TRANSPOSE_CONV', [b.ints([1, 8, 8, 4]), b.const(undefined, [4, 2, 2, 8], undefined, { std: 0.3 }), x, b.const(undefined, [4], undefined, { std: 0.1 })], [1, 8, 8, 4], { padding: 'SAME', strideH: 2, strideW: 2, activation: 'NONE' }),
  },
  { op: 'ADD', build: (b, x) => b.binary('ADD', x, b.unary('RELU', x)) },
  { op: 'SUB', build: (b, x) => b.binary('SUB', x, b.unary('RELU', x)) },
  { op: 'MUL', build: (b, x) => b.binary('MUL', x, b.unary('RELU', x)) },
  { op: 'SQUARED_DIFFERENCE', build: (b, x) => b.op('SQUARED_DIFFERENCE', [x, b.unary('RELU', x)], S) },
  { op: 'MAXIMUM', build: (b, x) => b.binary('MAXIMUM', x, b.const('c', [8], undefined, { std: 0.3 })) },
  { op: 'MINIMUM', build: (b, x) => b.binary('MINIMUM', x, b.const('c', [8], undefined, { std: 0.3 })) },
  { op: 'MEAN', build: (b, x) => b.op('MEAN', [x, b.ints([1, 2])], [1, 1, 1, 8], { keepDims: true }) },
  { op: 'SUM', build: (b, x) => b.op('SUM', [x, b.ints([1, 2])], [1, 1, 1, 8], { keepDims: true }) },
  { op: 'REDUCE_MAX', build: (b, x) => b.op('REDUCE_MAX', [x, b.ints([3])], [1, 4, 4, 1], { keepDims: true }) },
  { op: 'RELU', build: (b, x) => b.unary('RELU', x) },
  { op: 'RELU6', build: (b, x) => b.unary('RELU6', x), lo: -3, hi: 8 },
  { op: 'RELU_N1_TO_1', build: (b, x) => b.unary('RELU_N1_TO_1', x), lo: -2, hi: 2 },
  { op: 'LEAKY_RELU', build: (b, x) => b.op('LEAKY_RELU', [x], S, { alpha: 0.1 }) },
  { op: 'HARD_SWISH', build: (b, x) => b.op('HARD_SWISH', [x], S), lo: -4, hi: 4 },
  { op: 'PRELU', build: (b, x) => b.op('PRELU', [x, b.const('alpha', [1, 1, 8], undefined, { std: 0.2 })], S) },
  { op: 'ELU', build: (b, x) => b.op('ELU', [x], S) },
  { op: 'GELU', build: (b, x) => b.op('GELU', [x], S, { approximate: false }) },
  { op: 'EXP', build: (b, x) => b.op('EXP', [x], S) },
  { op: 'LOG', build: (b, x) => b.op('LOG', [x], S), lo: 0.2, hi: 3 },
  { op: 'RSQRT', build: (b, x) => b.op('RSQRT', [x], S), lo: 0.2, hi: 3 },
  { op: 'ABS', build: (b, x) => b.op('ABS', [x], S) },
  { op: 'LOGISTIC', build: (b, x) => b.unary('LOGISTIC', x), lo: -4, hi: 4 },
  { op: 'TANH', build: (b, x) => b.unary('TANH', x), lo: -3, hi: 3 },
  { op: 'SOFTMAX', build: (b, x) => b.op('SOFTMAX', [x], S, { beta: 1 }), lo: -3, hi: 3 },
  { op: 'AVERAGE_POOL_2D', build: (b, x) => b.op('AVERAGE_POOL_2D', [x], [1, 2, 2, 8], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' }) },
  { op: 'MAX_POOL_2D', build: (b, x) => b.op('MAX_POOL_2D', [x], [1, 2, 2, 8], { padding: 'VALID', strideH: 2, strideW: 2, filterH: 2, filterW: 2, activation: 'NONE' }) },
  { op: 'CONCATENATION', build: (b, x) => b.op('CONCATENATION', [x, b.unary('RELU', x)], [1, 4, 4, 16], { axis: 3, activation: 'NONE' }) },
  { op: 'RESHAPE', build: (b, x) => b.reshape(x, [1, 16, 8]) },
  { op: 'RESIZE_BILINEAR', build: (b, x) => b.op('RESIZE_BILINEAR', [x, b.ints([8, 8])], [1, 8, 8, 8], { alignCorners: false, halfPixelCenters: true }) },
  { op: 'RESIZE_NEAREST_NEIGHBOR', build: (b, x) => b.op('RESIZE_NEAREST_NEIGHBOR', [x, b.ints([8, 8])], [1, 8, 8, 8], { alignCorners: false, halfPixelCenters: false }) },
  { op: 'SPACE_TO_DEPTH', build: (b, x) => b.op('SPACE_TO_DEPTH', [x], [1, 2, 2, 32], { blockSize: 2 }) },
  { op: 'DEPTH_TO_SPACE', build: (b, x) => b.op('DEPTH_TO_SPACE', [x], [1, 8, 8, 2], { blockSize: 2 }) },
  { op: 'PAD', build: (b, x) => b.op('PAD', [x, b.const('p', [4, 2], [0, 0, 1, 1, 2, 2, 0, 0], { dtype: 'int32' })], [1, 6, 8, 8]) },
  { op: 'PADV2', build: (b, x) => b.op('PADV2', [x, b.const('p', [4, 2], [0, 0, 1, 1, 2, 2, 0, 0], { dtype: 'int32' }), b.const('v', [], [0.5])], [1, 6, 8, 8]) },
  { op: 'MIRROR_PAD', build: (b, x) => b.op('MIRROR_PAD', [x, b.const('p', [4, 2], [0, 0, 1, 1, 2, 2, 0, 0], { dtype: 'int32' })], [1, 6, 8, 8], { mirrorMode: 'REFLECT' }) },
  { op: 'TRANSPOSE', build: (b, x) => b.transpose(x, [0, 3, 1, 2]) },
  { op: 'GATHER', build: (b, x) => b.op('GATHER', [x, b.ints([3, 1, 0])], [1, 4, 4, 3], { axis: 3, batchDims: 0 }) },
  { op: 'SQUEEZE', build: (b, x) => b.op('SQUEEZE', [x], [4, 4, 8], { squeezeDims: [0] }) },
  { op: 'EXPAND_DIMS', build: (b, x) => b.op('EXPAND_DIMS', [x, b.ints([0])], [1, 1, 4, 4, 8]) },
  { op: 'SLICE', build: (b, x) => b.op('SLICE', [x, b.ints([0, 1, 0, 2]), b.ints([1, 2, 4, 4])], [1, 2, 4, 4]) },
  { op: 'STRIDED_SLICE', build: (b, x) => b.op('STRIDED_SLICE', [x, b.ints([0, 0, 0, 0]), b.ints([1, 4, 4, 8]), b.ints([1, 2, 1, 2])], [1, 2, 4, 4], { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false }) },
  {
    op: 'SPLIT',
    build: (b, x) => {
      const first = b.op('SPLIT', [b.const('axis', [], [3], { dtype: 'int32' }), x], [1, 4, 4, 4], { numSplits: 2 }, { name: 'split' });
      b.graph.addTensor({ name: 'second', dtype: 'float32', shape: [1, 4, 4, 4], layout: 'NHWC' });
      b.graph.nodes.find((n) => n.name === 'split')!.outputs.push('second');
      return b.binary('ADD', first, 'second');
    },
  },
  { op: 'TILE', build: (b, x) => b.op('TILE', [x, b.ints([1, 1, 2, 1])], [1, 4, 8, 8]) },
  { op: 'BATCH_MATMUL', build: (b, x) => b.op('BATCH_MATMUL', [b.reshape(x, [1, 16, 8]), b.reshape(b.unary('RELU', x), [1, 8, 16])], [1, 16, 16], { adjX: false, adjY: false }) },
];

const sample = (c: Case, seed: number): HostTensor[] => [{ name: 'x', dtype: 'float32', shape: S, data: uniformFloat32(128, seed, c.lo ?? -1, c.hi ?? 1) }];

describe('int8 op by op in LiteRT', () => {
  for (const c of CASES) {
    it(`${c.op}`, async () => {
      const b = new IrBuilder(11);
      const x = b.input('x', S);
      b.output(c.build(b, x));
      const g = b.graph;
      const stats = await calibrate(g, [1, 2, 3, 4, 5, 6, 7, 8].map((s) => sample(c, s)), { kind: 'minmax' });
      const r = quantizeInt8(g, stats);
      expect(r.keptFloat).toEqual([]);
      const bytes = writeTflite(r.graph);
      const back = readTflite(bytes);
      const node = back.nodes.find((n) => n.op === c.op)!;
      expect(back.tensor(node.outputs[0]!).dtype).toBe('int8');
      const f = await liteRtRuntime.load(writeTflite(g));
      const m = await liteRtRuntime.load(bytes);
      try {
        for (const seed of [90, 91]) {
          const a = (await f.run(sample(c, seed)))[0]!.data as Float32Array;
          const q = (await m.run(sample(c, seed)))[0]!.data as Float32Array;
          expect(sqnrDb(a, q)).toBeGreaterThan(c.minSqnr ?? 25);
        }
      } finally {
        await f.dispose();
        await m.dispose();
      }
    });
  }
});
