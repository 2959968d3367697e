import { describe, expect, it } from 'vitest';
import { deferData, deferredData, hasConstData } from '../../src/ir/deferred-data.js';
import { isConstant, type Tensor } from '../../src/ir/tensor.js';
import { verify } from '../../src/ir/verify.js';
import { IrBuilder } from '../helpers/ir-builder.js';

/** A float32 constant [n] whose deferred data is 0, 1, 2, …; counts the fills. */
function counting(n: number, byteLength = n * 4) {
  const t: Tensor = { name: 'w', dtype: 'float32', shape: [n], layout: 'plain' };
  const calls = { fill: 0 };
  deferData(t, { byteLength, fill: (dst) => (calls.fill++, new Float32Array(dst.buffer, dst.byteOffset, n).set(Float32Array.from({ length: n }, (_, i) => i))) });
  return { t, calls };
}

describe('deferred constant data', () => {
  it('is a constant before anything reads it, and asking does not compute it', () => {
    const { t, calls } = counting(4);
    expect(isConstant(t)).toBe(true);
    expect(hasConstData(t)).toBe(true);
    expect(deferredData(t)?.byteLength).toBe(16);
    expect(calls.fill).toBe(0);
  });

  it('the first read of .data computes it once; later reads and copies see the same values', () => {
    const { t, calls } = counting(4);
    expect(Array.from(t.data as Float32Array)).toEqual([0, 1, 2, 3]);
    expect(t.data).toBe(t.data);
    expect(Array.from({ ...t }.data as Float32Array)).toEqual([0, 1, 2, 3]);
    expect(calls.fill).toBe(1);
    expect(deferredData(t)).toBeUndefined();
    expect(hasConstData(t)).toBe(true);
  });

  it('assigning .data replaces the deferred values without computing them', () => {
    const { t, calls } = counting(2);
    t.data = Float32Array.of(7, 8);
    expect(Array.from(t.data as Float32Array)).toEqual([7, 8]);
    expect(calls.fill).toBe(0);
    expect(deferredData(t)).toBeUndefined();
  });

  it('verify checks a deferred constant (length, constant written by a node) without computing it', () => {
    const b = new IrBuilder();
    const x = b.input('x', [1, 4]);
    const { t, calls } = counting(4, 12); // 3 values for shape [4]
    b.graph.addTensor(t);
    b.output(b.op('ADD', [x, 'w'], [1, 4]));
    expect(verify(b.graph).map((i) => i.message)).toContain("constant 'w' holds 3 elements, shape [4] needs 4");
    expect(calls.fill).toBe(0);
  });
});
