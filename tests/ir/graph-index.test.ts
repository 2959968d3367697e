import { describe, expect, it } from 'vitest';
import { GraphIndex } from '../../src/ir/graph-index.js';
import { IrBuilder } from '../helpers/ir-builder.js';

describe('GraphIndex', () => {
  it('answers as the graph scans do, and stays current through removeNode / addNode / rewiring', () => {
    const b = new IrBuilder();
    const x = b.input('x', [1, 4]);
    const r = b.unary('RELU', x, { name: 'relu' });
    const y = b.binary('ADD', r, r, {}, { name: 'add' });
    b.output(b.unary('TANH', r, { name: 'tanh' }));
    const g = b.graph;
    const index = new GraphIndex(g);
    for (const t of [x, r, y]) {
      expect(index.producer(t)).toBe(g.producerOf(t));
      expect(index.consumers(t)).toEqual(g.consumersOf(t));
    }
    expect(index.consumers(r).map((n) => n.name)).toEqual(['add', 'tanh']); // ADD reads r twice, listed once
    const add = g.nodes.find((n) => n.name === 'add')!;
    index.removeNode(add);
    expect(index.has(add)).toBe(false);
    expect(g.nodes).not.toContain(add);
    expect(index.consumers(r).map((n) => n.name)).toEqual(['tanh']);
    expect(index.producer(y)).toBeUndefined();
    const tanh = g.nodes.find((n) => n.name === 'tanh')!;
    index.remove(tanh);
    tanh.inputs = [x];
    index.add(tanh);
    expect(index.consumers(r)).toEqual([]);
    expect(index.consumers(x).map((n) => n.name)).toEqual(['relu', 'tanh']);
    const neg = index.addNode({ name: 'neg', op: 'NEG', inputs: [r], outputs: [y], attrs: {} });
    expect(g.nodes).toContain(neg);
    expect(index.producer(y)).toBe(neg);
  });

  it('fresh names avoid tensors, indexed nodes and earlier fresh names', () => {
    const b = new IrBuilder();
    b.output(b.unary('RELU', b.input('x', [2]), { name: 'n' }));
    const index = new GraphIndex(b.graph);
    expect(index.fresh('x')).toBe('x_1');
    expect(index.fresh('n')).toBe('n_2');
    expect(index.fresh('free')).toBe('free');
    expect(index.fresh('free')).toBe('free_3');
  });
});
