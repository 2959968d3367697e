import { describe, expect, it } from 'vitest';
import { hoistTransposesOverOps } from '../../../src/convert/passes/hoist-transposes-over-ops.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { expectSameInLiteRt } from '../../helpers/tflite-oracle.js';
import { runPass } from './pass-harness.js';

describe('hoist-transposes-over-ops (alone)', () => {
  it('TILE of a [1,C,1,1] vector then TRANSPOSE to NHWC: a RESHAPE of the vector, then the TILE', async () => {
    const b = new IrBuilder(2);
    const v = b.reshape(b.unary('RELU', b.input('x', [1, 2])), [1, 2, 1, 1]);
    b.output(b.transpose(b.op('TILE', [v, b.ints([1, 1, 3, 8])], [1, 2, 3, 8]), [0, 2, 3, 1]));
    const a = runPass(hoistTransposesOverOps, b.graph);
    expect(a.result.status).toBe('applied');
    expect(a.result.stats).toMatchObject({ hoisted: 1, transposesLeft: 0 });
    expect(opCounts(a.after)).toEqual({ RELU: 1, RESHAPE: 2, TILE: 1 });
    const tile = a.after.nodes.find((n) => n.op === 'TILE')!;
    expect(Array.from(a.after.tensor(tile.inputs[1]!).data as Int32Array)).toEqual([1, 3, 8, 1]);
    await expectSameInLiteRt(a.before, a.after, 1, 0);
  });

  it('a TRANSPOSE undoing the one before a PAD hoists into nothing', async () => {
    const b = new IrBuilder(3);
    const t = b.transpose(b.conv2d(b.input('x', [1, 3, 4, 2]), { out: 2 }), [0, 3, 1, 2]);
    b.output(b.unary('TANH', t));
    const p = b.op('PAD', [t, b.const(undefined, [4, 2], [0, 0, 0, 0, 1, 1, 2, 2], { dtype: 'int32' })], [1, 2, 5, 8]);
    b.output(b.transpose(p, [0, 2, 3, 1]));
    const a = runPass(hoistTransposesOverOps, b.graph);
    expect(a.result.status).toBe('applied');
    expect(opCounts(a.after).TRANSPOSE).toBe(1);
    const pad = a.after.nodes.find((n) => n.op === 'PAD')!;
    expect(a.after.producerOf(pad.inputs[0]!)!.op).toBe('CONV_2D');
    await expectSameInLiteRt(a.before, a.after, 1, 0);
  });
});
