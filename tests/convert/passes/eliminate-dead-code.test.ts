import { describe, expect, it } from 'vitest';
import { eliminateDeadCode } from '../../../src/convert/passes/eliminate-dead-code.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { ORACLE, oracle, runPass } from './pass-harness.js';

function withDeadBranch() {
  const b = new IrBuilder();
  const x = b.input('x', [1, 4, 4, 3]);
  const y = b.conv2d(x, { out: 3 });
  b.unary('TANH', b.unary('RELU', y)); // dead chain
  b.const('unused', [10]);
  b.output(b.unary('LOGISTIC', y));
  return b.graph;
}

describe('eliminate-dead-code', () => {
  it('removes unread nodes and unused tensors', () => {
    const { before, after, result } = runPass(eliminateDeadCode, withDeadBranch());
    expect(result.status).toBe('applied');
    expect(result.stats).toMatchObject({ nodes: 2 });
    expect(opCounts(after)).toEqual({ CONV_2D: 1, LOGISTIC: 1 });
    expect(after.hasTensor('unused')).toBe(false);
    expect(after.tensors.size).toBe(before.tensors.size - 3);
  });

  it('skips a graph where everything is used, and keeps graph inputs nothing reads', () => {
    const b = new IrBuilder();
    b.input('unused_input', [2]);
    b.output(b.unary('RELU', b.input('x', [2])));
    const { after, result } = runPass(eliminateDeadCode, b.graph);
    expect(result.status).toBe('skipped');
    expect(after.hasTensor('unused_input')).toBe(true);
  });

  describe(ORACLE, () => {
    it('dead branch removed', async () => {
      await oracle(runPass(eliminateDeadCode, withDeadBranch()));
    });
  });
});
