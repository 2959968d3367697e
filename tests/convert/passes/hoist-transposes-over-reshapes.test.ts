import { describe, expect, it } from 'vitest';
import { hoistTransposesOverReshapes } from '../../../src/convert/passes/hoist-transposes-over-reshapes.js';
import { cancelTransposes } from '../../../src/convert/passes/cancel-transposes.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { expectSameInLiteRt } from '../../helpers/tflite-oracle.js';
import { runPass } from './pass-harness.js';

describe('hoist-transposes-over-reshapes (alone)', () => {
  it('ShuffleNet channel shuffle in NCHW: the TRANSPOSE back to NHWC moves above the view back, next to the shuffle', async () => {
    const b = new IrBuilder(6);
    const x = b.conv2d(b.input('x', [1, 3, 4, 6]), { out: 6 });
    const r5 = b.reshape(b.transpose(x, [0, 3, 1, 2]), [1, 2, 3, 3, 4]);
    const shuffled = b.transpose(r5, [0, 2, 1, 3, 4]);
    b.output(b.conv2d(b.transpose(b.reshape(shuffled, [1, 6, 3, 4]), [0, 2, 3, 1]), { out: 2 }));
    const a = runPass(hoistTransposesOverReshapes, b.graph);
    expect(a.result.status).toBe('applied');
    expect(a.result.stats).toMatchObject({ hoisted: 1 });
    // the hoisted TRANSPOSE now reads the shuffle's TRANSPOSE: cancel-transposes merges the two
    const t = a.after.nodes.find((n) => n.op === 'TRANSPOSE' && a.after.producerOf(n.inputs[0]!)?.op === 'TRANSPOSE');
    expect(t).toBeDefined();
    expect(a.after.consumersOf(t!.outputs[0]!).map((n) => n.op)).toEqual(['RESHAPE']);
    await expectSameInLiteRt(a.before, a.after, 1, 0);
    const merged = runPass(cancelTransposes, a.after);
    expect(merged.result.status).toBe('applied');
    expect(opCounts(merged.after).TRANSPOSE).toBe(2);
  });

  it('skips a TRANSPOSE whose RESHAPE the one above could cross (sinking handles that)', () => {
    const b = new IrBuilder();
    const t = b.transpose(b.input('x', [1, 4, 5, 3]), [0, 3, 1, 2]);
    b.output(b.transpose(b.reshape(t, [1, 3, 20]), [0, 2, 1]));
    expect(runPass(hoistTransposesOverReshapes, b.graph).result.status).toBe('skipped');
  });
});
