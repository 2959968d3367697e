import { describe, expect, it } from 'vitest';
import { foldTransposeIntoBatchMatmul, swapsLastTwo } from '../../../src/convert/passes/fold-transpose-into-batch-matmul.js';
import { checkGpuCompat } from '../../../src/convert/gpu/check.js';
import { IrBuilder } from '../../helpers/ir-builder.js';
import { ORACLE, oracle, runPass } from './pass-harness.js';

const count = (ops: { op: string }[], op: string) => ops.filter((n) => n.op === op).length;

/** Attention scores q·kᵀ with kᵀ a TRANSPOSE (0,1,3,2) of k [B,H,N,D]; `adjY` on the BATCH_MATMUL as given. */
function scores(adjY: boolean, extraReader = false) {
  const b = new IrBuilder(21);
  const [B, H, N, D] = [2, 3, 5, 4];
  const q = b.unary('TANH', b.input('q', [B, H, N, D]));
  const k = b.unary('RELU', b.input('k', adjY ? [B, H, D, N] : [B, H, N, D]));
  const kt = b.transpose(k, [0, 1, 3, 2]);
  b.output(b.op('BATCH_MATMUL', [q, kt], [B, H, N, N], { adjX: false, adjY }));
  if (extraReader) b.output(b.unary('TANH', kt));
  return b.graph;
}

describe('fold-transpose-into-batch-matmul', () => {
  it('swapsLastTwo: only the identity with its last two axes swapped', () => {
    expect(swapsLastTwo([0, 1, 3, 2])).toBe(true);
    expect(swapsLastTwo([1, 0])).toBe(true);
    expect(swapsLastTwo([0, 2, 1, 3])).toBe(false);
    expect(swapsLastTwo([0, 2, 3, 1])).toBe(false);
    expect(swapsLastTwo([1, 0, 3, 2])).toBe(false);
    expect(swapsLastTwo([0])).toBe(false);
  });

  for (const adjY of [false, true]) {
    it(`q·kᵀ (adjY ${adjY}): the TRANSPOSE goes, adjY flips; ${ORACLE}`, async () => {
      const a = runPass(foldTransposeIntoBatchMatmul, scores(adjY));
      expect(a.result.status).toBe('applied');
      expect(a.result.stats).toMatchObject({ folded: 1 });
      expect(count(a.after.nodes, 'TRANSPOSE')).toBe(0);
      const mm = a.after.nodes.find((n) => n.op === 'BATCH_MATMUL')!;
      expect(mm.attrs.adjY).toBe(!adjY);
      expect(checkGpuCompat(a.after).fullyDelegated).toBe(true);
      await oracle(a);
    });
  }

  it(`a TRANSPOSE with another reader stays for it; ${ORACLE}`, async () => {
    const a = runPass(foldTransposeIntoBatchMatmul, scores(false, true));
    expect(a.result.stats).toMatchObject({ folded: 1 });
    expect(count(a.after.nodes, 'TRANSPOSE')).toBe(1);
    expect(a.after.nodes.find((n) => n.op === 'BATCH_MATMUL')!.inputs[1]).not.toBe(a.after.nodes.find((n) => n.op === 'TRANSPOSE')!.outputs[0]);
    await oracle(a);
  });

  it('declines a TRANSPOSE that moves other axes, and leaves a transposed first input alone', () => {
    const b = new IrBuilder(22);
    const q = b.unary('TANH', b.input('q', [2, 5, 3, 4]));
    const k = b.unary('RELU', b.input('k', [2, 5, 3, 4]));
    b.output(b.op('BATCH_MATMUL', [b.transpose(q, [0, 2, 1, 3]), b.transpose(k, [0, 2, 3, 1])], [2, 3, 5, 5], { adjX: false, adjY: false }));
    const a = runPass(foldTransposeIntoBatchMatmul, b.graph);
    expect(a.result.status).toBe('declined');
    expect(a.result.declines!.join('\n')).toMatch(/perm \(0,2,3,1\) does more than swap the last two axes/);
    expect(count(a.after.nodes, 'TRANSPOSE')).toBe(2);
  });
});
