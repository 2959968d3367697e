import { describe, expect, it } from 'vitest';
import { cancelTransposes } from '../../../src/convert/passes/cancel-transposes.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { ORACLE, oracle, runPass } from './pass-harness.js';

function pair(p1: number[], p2: number[], extraReader = false) {
  const b = new IrBuilder();
  const x = b.unary('RELU', b.input('x', [1, 2, 3, 4]));
  const t1 = b.transpose(x, p1);
  b.output(b.unary('LOGISTIC', b.transpose(t1, p2)));
  if (extraReader) b.output(b.unary('TANH', t1));
  return b.graph;
}

/**
 * RELU → `n` TRANSPOSEs, each rotating axes 1–3 (three make the identity) → LOGISTIC; with
 * `reluOut`, a TRANSPOSE pair RELU → T → T⁻¹ also feeds a graph output.
 */
function chain(n: number, reluOut: boolean) {
  const b = new IrBuilder();
  const x = b.unary('RELU', b.input('x', [1, 2, 3, 4]));
  if (reluOut) b.output(b.transpose(b.transpose(x, [0, 3, 1, 2]), [0, 2, 3, 1]));
  let t = x;
  for (let i = 0; i < n; i++) t = b.transpose(t, [0, 3, 1, 2]);
  b.output(b.unary('LOGISTIC', t));
  return b.graph;
}

describe('cancel-transposes', () => {
  it('removes NHWC→NCHW→NHWC pairs', () => {
    const { after, result } = runPass(cancelTransposes, pair([0, 3, 1, 2], [0, 2, 3, 1]));
    expect(result.status).toBe('applied');
    expect(result.stats).toMatchObject({ cancelled: 1, merged: 0 });
    expect(opCounts(after)).toEqual({ RELU: 1, LOGISTIC: 1 });
  });

  it('merges two transposes into one with the composed perm', () => {
    const { after, result } = runPass(cancelTransposes, pair([0, 3, 1, 2], [0, 1, 3, 2]));
    expect(result.stats).toMatchObject({ cancelled: 0, merged: 1 });
    expect(opCounts(after)).toEqual({ RELU: 1, TRANSPOSE: 1, LOGISTIC: 1 });
    const t = after.nodes.find((n) => n.op === 'TRANSPOSE')!;
    expect(Array.from(after.tensor(t.inputs[1]!).data as Int32Array)).toEqual([0, 3, 2, 1]);
    expect(after.tensor(t.outputs[0]!).shape).toEqual([1, 4, 3, 2]);
  });

  it('keeps the first transpose when something else reads it', () => {
    const { after, result } = runPass(cancelTransposes, pair([0, 3, 1, 2], [0, 2, 3, 1], true));
    expect(result.status).toBe('applied');
    expect(opCounts(after)).toEqual({ RELU: 1, TRANSPOSE: 1, LOGISTIC: 1, TANH: 1 });
  });

  it('follows its own rewrites along a chain: three rotations merge, then cancel, in one run', () => {
    const { after, result } = runPass(cancelTransposes, chain(3, false));
    expect(result.stats).toMatchObject({ cancelled: 1, merged: 1 });
    expect(opCounts(after)).toEqual({ RELU: 1, LOGISTIC: 1 });
  });

  it('a cancelled pair at a graph output: the producer writes the output, and the next pair still cancels', () => {
    const { after, result } = runPass(cancelTransposes, chain(4, true));
    expect(result.stats).toMatchObject({ cancelled: 2, merged: 1 });
    expect(opCounts(after)).toEqual({ RELU: 1, TRANSPOSE: 1, LOGISTIC: 1 });
    expect(after.producerOf(after.outputs[0]!)?.op).toBe('RELU');
  });

  it('declines an identity pair from a graph input straight to a graph output', () => {
    const b = new IrBuilder();
    b.output(b.transpose(b.transpose(b.input('x', [1, 2, 3, 4]), [0, 3, 1, 2]), [0, 2, 3, 1]));
    const { result, after } = runPass(cancelTransposes, b.graph);
    expect(result.status).toBe('declined');
    expect(after.nodes).toHaveLength(2);
  });

  describe(ORACLE, () => {
    it('cancelled pair', async () => {
      await oracle(runPass(cancelTransposes, pair([0, 3, 1, 2], [0, 2, 3, 1])));
    });
    it('chain of rotations, and a pair at a graph output', async () => {
      await oracle(runPass(cancelTransposes, chain(3, false)));
      await oracle(runPass(cancelTransposes, chain(4, true)));
    });
    it('merged pair with a second reader', async () => {
      await oracle(runPass(cancelTransposes, pair([0, 3, 1, 2], [0, 1, 3, 2], true)));
    });
  });
});
