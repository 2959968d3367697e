import { describe, expect, it } from 'vitest';
import { removeIdentity } from '../../../src/convert/passes/remove-identity.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { ORACLE, oracle, runPass } from './pass-harness.js';

function chain() {
  const b = new IrBuilder();
  const x = b.input('x', [1, 4, 4, 3]);
  let y = b.unary('RELU', x);
  y = b.reshape(y, [1, 4, 4, 3]);
  y = b.transpose(y, [0, 1, 2, 3]);
  y = b.op('CAST', [y], [1, 4, 4, 3], { inDataType: 'FLOAT32', outDataType: 'FLOAT32' });
  y = b.op('PAD', [y, b.const(undefined, [4, 2], [0, 0, 0, 0, 0, 0, 0, 0], { dtype: 'int32' })], [1, 4, 4, 3]);
  y = b.binary('ADD', y, b.const(undefined, [3], [0, 0, 0]));
  y = b.binary('MUL', y, b.const(undefined, [1], [1]));
  y = b.unary('LOGISTIC', y);
  y = b.reshape(y, [1, 4, 4, 3]);
  b.output(y);
  return b.graph;
}

describe('remove-identity', () => {
  it('removes RESHAPE/TRANSPOSE/CAST/PAD/ADD 0/MUL 1 identities, keeping the output name', () => {
    const { before, after, result } = runPass(removeIdentity, chain());
    expect(result.status).toBe('applied');
    expect(result.stats!.removed).toBe(7);
    expect(opCounts(after)).toEqual({ RELU: 1, LOGISTIC: 1 });
    expect(after.outputs).toEqual(before.outputs);
    expect(after.nodes[1]!.outputs).toEqual(before.outputs);
  });

  it('leaves real reshapes / transposes / non-zero adds alone', () => {
    const b = new IrBuilder();
    const x = b.input('x', [1, 4, 4, 3]);
    const y = b.reshape(b.unary('RELU', x), [1, 16, 3]);
    const z = b.binary('ADD', b.transpose(b.unary('RELU', x), [0, 2, 1, 3]), b.const(undefined, [3], [0, 1, 0]));
    b.output(y);
    b.output(z);
    const { result, after } = runPass(removeIdentity, b.graph);
    expect(result.status).toBe('skipped');
    expect(after.nodes).toHaveLength(5);
  });

  it('declines an identity between a graph input and a graph output', () => {
    const b = new IrBuilder();
    b.output(b.reshape(b.input('x', [2, 3]), [2, 3]));
    const { result } = runPass(removeIdentity, b.graph);
    expect(result.status).toBe('declined');
    expect(result.message).toMatch(/graph output.*graph input/);
  });

  describe(ORACLE, () => {
    it('the identity chain', async () => {
      await oracle(runPass(removeIdentity, chain()));
    });
  });
});
