import { describe, expect, it } from 'vitest';
import { sinkTransposesBelowOps } from '../../../src/convert/passes/sink-transposes-below-ops.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { expectSameInLiteRt } from '../../helpers/tflite-oracle.js';
import { runPass } from './pass-harness.js';

const TO_NCHW = [0, 3, 1, 2];

describe('sink-transposes-below-ops (alone)', () => {
  it('moves a TRANSPOSE below a RELU → TANH chain and a per-channel ADD; the graph output keeps its name', async () => {
    const b = new IrBuilder(4);
    const t = b.transpose(b.conv2d(b.input('x', [1, 3, 4, 2]), { out: 2 }), TO_NCHW);
    const y = b.binary('ADD', b.unary('TANH', b.unary('RELU', t)), b.const(undefined, [2, 1, 1]));
    b.output(y);
    const a = runPass(sinkTransposesBelowOps, b.graph);
    expect(a.result.status).toBe('applied');
    expect(a.result.stats).toMatchObject({ sunk: 3, transposesLeft: 1 });
    expect(opCounts(a.after)).toEqual({ CONV_2D: 1, RELU: 1, TANH: 1, ADD: 1, TRANSPOSE: 1 });
    expect(a.after.producerOf(y)!.op).toBe('TRANSPOSE');
    const relu = a.after.nodes.find((n) => n.op === 'RELU')!;
    expect(a.after.producerOf(relu.inputs[0]!)!.op).toBe('CONV_2D');
    await expectSameInLiteRt(a.before, a.after, 1, 0);
  });

  it('declines where a sink would add TRANSPOSEs: a transposed input with another reader', () => {
    const b = new IrBuilder();
    const t = b.transpose(b.input('x', [1, 3, 4, 2]), TO_NCHW);
    b.output(b.unary('RELU', t));
    b.output(b.unary('TANH', t));
    const a = runPass(sinkTransposesBelowOps, b.graph);
    expect(a.result.status).toBe('declined');
    expect(a.result.declines?.[0]).toMatch(/every TRANSPOSE feeding it has other readers/);
    expect(opCounts(a.after).TRANSPOSE).toBe(1);
  });
});
