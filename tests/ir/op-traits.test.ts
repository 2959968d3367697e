import { describe, expect, it } from 'vitest';
import { Graph } from '../../src/ir/graph.js';
import { OP_TRAITS, opsWhere, opTraits } from '../../src/ir/op-traits.js';
import { verify } from '../../src/ir/verify.js';
import type { Tensor } from '../../src/ir/tensor.js';

const t = (name: string, shape: number[], dtype: Tensor['dtype'] = 'float32'): Tensor => ({ name, dtype, shape, layout: 'plain' });

describe('OP_TRAITS', () => {
  it('answers for every op, with no traits for an op it does not list', () => {
    expect(opTraits('RESHAPE')).toEqual({});
    expect(opTraits('ADD')).toEqual({ valueWise: 'binary', keepsDtype: true, appliesFusedRelu: true });
    expect(opTraits('CAST').keepsDtype).toBeUndefined();
  });

  it('keeps the dtype only where an op is value-wise (the trait refines valueWise)', () => {
    for (const [op, traits] of Object.entries(OP_TRAITS)) if (traits.keepsDtype) expect(traits.valueWise, op).toBeDefined();
  });

  it('selects ops by trait', () => {
    expect([...opsWhere((x) => x.appliesFusedRelu)].sort()).toEqual(
      ['ADD', 'AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DIV', 'FULLY_CONNECTED', 'L2_POOL_2D', 'MAX_POOL_2D', 'MUL', 'SUB'],
    );
    expect(opsWhere((x) => x.valueWise === 'select')).toEqual(new Set(['SELECT_V2']));
    expect(opsWhere((x) => x.valueWise === 'binary').has('LESS')).toBe(true);
  });

  it('lets verify() check every value-wise op that keeps its dtype, e.g. SIGN and FLOOR_MOD', () => {
    const g = new Graph();
    for (const x of [t('a', [2, 3]), t('b', [3]), t('s', [3, 2]), t('m', [2, 4])]) g.addTensor(x);
    g.addNode({ name: 'sign', op: 'SIGN', inputs: ['a'], outputs: ['s'], attrs: {} });
    g.addNode({ name: 'mod', op: 'FLOOR_MOD', inputs: ['a', 'b'], outputs: ['m'], attrs: {} });
    g.inputs = ['a', 'b'];
    g.outputs = ['s', 'm'];
    const messages = verify(g).map((i) => i.message).join('\n');
    expect(messages).toMatch(/output shape \[3,2\] ≠ input shape \[2,3\]/);
    expect(messages).toMatch(/output shape \[2,4\] ≠ broadcast shape \[2,3\]/);
  });
});
