import { describe, expect, it } from 'vitest';
import { lowerTransposeRank } from '../../../src/convert/passes/lower-transpose-rank.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { expectSameInLiteRt } from '../../helpers/tflite-oracle.js';
import { runPass } from './pass-harness.js';

describe('lower-transpose-rank (alone)', () => {
  it('a rank-5 TRANSPOSE swapping the two inner axes runs as a rank-3 TRANSPOSE between RESHAPEs', async () => {
    const b = new IrBuilder(5);
    const x = b.unary('RELU', b.input('x', [1, 3, 4, 2, 3]));
    b.output(b.unary('TANH', b.transpose(x, [0, 1, 2, 4, 3])));
    const a = runPass(lowerTransposeRank, b.graph);
    expect(a.result.status).toBe('applied');
    const ts = a.after.nodes.filter((n) => n.op === 'TRANSPOSE');
    expect(ts).toHaveLength(1);
    expect(a.after.tensor(ts[0]!.inputs[0]!).shape).toEqual([12, 2, 3]);
    expect(Array.from(a.after.tensor(ts[0]!.inputs[1]!).data as Int32Array)).toEqual([0, 2, 1]);
    expect(opCounts(a.after)).toEqual({ RELU: 1, RESHAPE: 2, TRANSPOSE: 1, TANH: 1 });
    await expectSameInLiteRt(a.before, a.after, 1, 0);
  });

  it('a TRANSPOSE moving only size-1 axes becomes one RESHAPE; a rank-4 one moving real axes stays', async () => {
    const b = new IrBuilder(6);
    const x = b.unary('RELU', b.input('x', [1, 1, 1, 5]));
    b.output(b.unary('TANH', b.transpose(x, [0, 3, 1, 2])));
    b.output(b.transpose(b.unary('LOGISTIC', b.input('z', [1, 2, 3, 4])), [0, 3, 1, 2]));
    const a = runPass(lowerTransposeRank, b.graph);
    expect(a.result.status).toBe('applied');
    expect(a.result.stats).toMatchObject({ lowered: 1, transposesLeft: 1 });
    expect(opCounts(a.after)).toEqual({ RELU: 1, RESHAPE: 1, TANH: 1, LOGISTIC: 1, TRANSPOSE: 1 });
    await expectSameInLiteRt(a.before, a.after, 1, 0);
  });
});
