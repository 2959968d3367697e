import { describe, expect, it } from 'vitest';
import { foldConstants } from '../../../src/convert/passes/fold-constants.js';
import { IrBuilder, opCounts } from '../../helpers/ir-builder.js';
import { ORACLE, oracle, runPass } from './pass-harness.js';

function constantChain() {
  const b = new IrBuilder(11);
  const x = b.input('x', [1, 3, 2, 4]);
  const w = b.const('w', [1, 4, 3, 2]);
  const wt = b.transpose(w, [0, 2, 3, 1]); // [1,3,2,4]
  const s = b.binary('MUL', b.const(undefined, [4], [1, 2, 3, 4]), b.const(undefined, [1], [0.5]));
  const k = b.binary('ADD', wt, s, { activation: 'RELU' });
  const k2 = b.binary('DIV', b.binary('SUB', k, b.const(undefined, [], [0.25])), b.const(undefined, [1, 1, 1, 4], [1, 3, 7, -2]));
  b.output(b.binary('ADD', x, b.reshape(k2, [1, 3, 2, 4])));
  return b.graph;
}

describe('fold-constants', () => {
  it('folds a constant TRANSPOSE/MUL/ADD(relu)/SUB/DIV/RESHAPE chain into one constant', () => {
    const { before, after, result } = runPass(foldConstants, constantChain());
    expect(result.status).toBe('applied');
    expect(result.stats!.folded).toBe(6);
    expect(opCounts(after)).toEqual({ ADD: 1 });
    // spot-check against a hand computation
    const w = before.tensor('w').data as Float32Array; // [1,4,3,2]
    const kname = after.nodes[0]!.inputs[1]!;
    const k = after.tensor(kname).data as Float32Array; // [1,3,2,4]
    const h = 1, wi = 0, c = 2; // k[0,h,wi,c] = w[0,c,h,wi]
    const expected = Math.fround(Math.fround(Math.fround(Math.max(w[c * 6 + h * 2 + wi]! + 1.5, 0)) - 0.25) / 7);
    expect(k[h * 8 + wi * 4 + c]).toBe(expected);
  });

  it('folds int32 arithmetic and a CAST, declines integer DIV', () => {
    const b = new IrBuilder();
    const x = b.input('x', [2]);
    const a = b.binary('ADD', b.const(undefined, [2], [2, 3], { dtype: 'int32' }), b.const(undefined, [2], [4, 5], { dtype: 'int32' }));
    const f = b.op('CAST', [a], [2], {}, { dtype: 'float32' });
    b.output(b.binary('MUL', x, f));
    const d = b.binary('DIV', b.const(undefined, [1], [7], { dtype: 'int32' }), b.const(undefined, [1], [2], { dtype: 'int32' }));
    b.output(b.op('CAST', [b.op('RESHAPE', [d, b.ints([1])], [1], {}, { dtype: 'int32' }) as string], [1]));
    const g = b.graph;
    // keep the DIV's result reachable through a non-constant path
    const { after, result } = runPass(foldConstants, g);
    expect(result.status).toBe('applied');
    expect(result.declines!.join()).toMatch(/integer DIV/);
    const mul = after.nodes.find((n) => n.op === 'MUL')!;
    expect(Array.from(after.tensor(mul.inputs[1]!).data as Float32Array)).toEqual([6, 8]);
  });

  it('declines a node whose output is a graph output', () => {
    const b = new IrBuilder();
    b.input('x', [2]);
    b.output(b.binary('ADD', b.const(undefined, [2]), b.const(undefined, [2])));
    const { result } = runPass(foldConstants, b.graph);
    expect(result.status).toBe('declined');
    expect(result.message).toMatch(/graph output/);
  });

  it('skips when nothing is constant', () => {
    const b = new IrBuilder();
    b.output(b.unary('RELU', b.input('x', [2])));
    expect(runPass(foldConstants, b.graph).result.status).toBe('skipped');
  });

  describe(ORACLE, () => {
    it('constant chain feeding an ADD', async () => {
      await oracle(runPass(foldConstants, constantChain()));
    });
  });
});
