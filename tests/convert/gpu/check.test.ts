import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkGpuCompat, unsupportedOpsLog } from '../../../src/convert/gpu/index.js';
import { readTflite } from '../../../src/tflite/reader.js';
import { IrBuilder } from '../../helpers/ir-builder.js';

const SELFIE = 'node_modules/@mediapipe/selfie_segmentation/selfie_segmentation.tflite';

describe('checkGpuCompat', () => {
  it("takes Google's fp16 selfie_segmentation whole (fp16 DEQUANTIZE folded, Convolution2DTransposeBias custom op)", () => {
    const g = readTflite(new Uint8Array(readFileSync(SELFIE)), SELFIE);
    const r = checkGpuCompat(g);
    expect(r.fullyDelegated).toBe(true);
    expect(r.delegatedNodeCount).toBe(g.nodes.length);
    expect(r.delegatedPartitionCount).toBe(1);
    expect(unsupportedOpsLog(r)).toEqual([]);
  });

  it('rejects ARG_MAX, splits partitions, delegates only the largest and logs like the delegate', () => {
    const b = new IrBuilder(3);
    const x = b.input('x', [1, 8, 8, 4]);
    const c1 = b.conv2d(x, { out: 8, k: 3 });
    const r1 = b.unary('RELU', c1);
    const am = b.op('ARG_MAX', [r1, b.ints([3])], [1, 8, 8], { outDataType: 'int32' }, { dtype: 'int32', name: 'argmax' });
    b.output(am);
    const r = checkGpuCompat(b.graph);
    const v = r.nodes.find((n) => n.node === 'argmax')!;
    expect(v.supported).toBe(false);
    expect(v.violations[0]!.rule).toBe('gpu.unsupported-op');
    expect(r.gpuPartitionCount).toBe(1);
    expect(r.delegatedNodeCount).toBe(2);
    expect(r.fullyDelegated).toBe(false);
    expect(unsupportedOpsLog(r)).toEqual([
      'ERROR: Following operations are not supported by GPU delegate:',
      'ARG_MAX: Operation is not supported.',
      '2 operations will run on the GPU, and the remaining 1 operations will run on the CPU.',
    ]);
  });

  it('counts two GPU partitions around a CPU op and delegates the larger one only', () => {
    const b = new IrBuilder(4);
    const x = b.input('x', [1, 8, 8, 4]);
    const a = b.unary('RELU', x);
    const sq = b.op('SQUEEZE', [a], [8, 8, 4], { squeezeDims: [0] }, { name: 'squeeze' });
    const r3 = b.reshape(sq, [1, 8, 8, 4]);
    const t1 = b.unary('TANH', r3);
    const t2 = b.unary('LOGISTIC', t1);
    b.output(t2);
    const r = checkGpuCompat(b.graph);
    expect(r.gpuPartitionCount).toBe(2);
    expect(r.delegatedPartitionCount).toBe(1);
    expect(r.delegatedNodeCount).toBe(3); // RESHAPE, TANH, LOGISTIC
    expect(r.nodes[0]!.delegated).toBe(false); // the RELU partition is smaller
    expect(checkGpuCompat(b.graph, { maxDelegatedPartitions: 0 }).delegatedNodeCount).toBe(4);
  });

  it('rejects any node touching a 5-D tensor with the tensor type/shape message', () => {
    const b = new IrBuilder(5);
    const x = b.input('x', [1, 8, 8, 8]);
    const r5 = b.reshape(x, [1, 2, 4, 8, 8], { name: 'to5d' });
    const back = b.reshape(r5, [1, 8, 8, 8], { name: 'back' });
    b.output(back);
    const r = checkGpuCompat(b.graph);
    for (const n of r.nodes) {
      expect(n.supported).toBe(false);
      expect(n.violations.map((v) => v.rule)).toContain('gpu.rank-above-4');
    }
    expect(unsupportedOpsLog(r)).toEqual([
      'ERROR: Following operations are not supported by GPU delegate:',
      "RESHAPE: OP is supported, but tensor type/shape isn't compatible.",
      'No operations will run on the GPU, and all 2 operations will run on the CPU.',
    ]);
  });

  it('applies version caps, SOFTMAX beta, kStandard broadcast, STRIDED_SLICE masks, MIRROR_PAD mode', () => {
    const b = new IrBuilder(6);
    const x = b.input('x', [1, 4, 4, 8]);
    const y = b.input('y', [4, 8]);
    b.op('SOFTMAX', [x], [1, 4, 4, 8], { beta: 2 }, { name: 'sm' });
    b.op('ADD', [x, y], [1, 4, 4, 8], { activation: 'NONE' }, { name: 'add_bcast' });
    const m = b.op('MUL', [x, x], [1, 4, 4, 8], { activation: 'NONE' }, { name: 'mul_v4' });
    b.graph.nodes.find((n) => n.name === 'mul_v4')!.version = 4;
    b.op('STRIDED_SLICE', [m, b.ints([0, 0, 0, 0]), b.ints([1, 4, 4, 1]), b.ints([1, 1, 1, 1])], [1, 4, 4], { shrinkAxisMask: 8 }, { name: 'ss' });
    b.op('MIRROR_PAD', [x, b.const(undefined, [4, 2], [0, 0, 1, 1, 1, 1, 0, 0], { dtype: 'int32' })], [1, 6, 6, 8], { mirrorMode: 'SYMMETRIC' }, { name: 'mp' });
    b.op('CONV_2D', [x, b.const(undefined, [8, 1, 1, 8]), b.const(undefined, [8])], [1, 4, 4, 8], { activation: 'SIGN_BIT', strideH: 1, strideW: 1 }, { name: 'conv_sign' });
    const r = checkGpuCompat(b.graph);
    const rule = (name: string) => r.nodes.find((n) => n.node === name)!.violations.map((v) => v.rule);
    expect(rule('sm')).toContain('gpu.softmax-beta');
    expect(rule('add_bcast')).toContain('gpu.broadcast');
    expect(r.nodes.find((n) => n.node === 'add_bcast')!.violations[0]!.message).toBe("Doesn't support broadcasting - input0: [1,4,4,8], input1: [4,8]");
    expect(rule('mul_v4')).toEqual(['gpu.op-version']);
    expect(r.nodes.find((n) => n.node === 'mul_v4')!.violations[0]!.message).toBe('Max version supported: 3. Requested version 4.');
    expect(rule('ss')).toContain('gpu.strided-slice-mask');
    expect(rule('mp')).toContain('gpu.mirror-pad-mode');
    expect(rule('conv_sign')).toContain('gpu.activation');
  });

  it('accepts the 4D-vs-[b,c] broadcast and a per-channel constant operand', () => {
    const b = new IrBuilder(7);
    const x = b.input('x', [2, 4, 4, 8]);
    const y = b.input('y', [2, 8]);
    const a = b.op('ADD', [x, y], [2, 4, 4, 8], { activation: 'NONE' });
    const m = b.op('MUL', [a, b.const(undefined, [8])], [2, 4, 4, 8], { activation: 'NONE' });
    b.output(m);
    expect(checkGpuCompat(b.graph).fullyDelegated).toBe(true);
  });
});
