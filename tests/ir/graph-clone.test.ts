import { describe, expect, it } from 'vitest';
import { Graph } from '../../src/ir/graph.js';

function sample(): Graph {
  const g = new Graph();
  g.addTensor({ name: 'x', dtype: 'float32', shape: [1, 4], layout: 'plain' });
  g.addTensor({ name: 'w', dtype: 'int8', shape: [4], layout: 'plain', data: new Int8Array([1, 2, 3, 4]), quant: { scale: [0.5], zeroPoint: [0] } });
  g.addTensor({ name: 'y', dtype: 'float32', shape: [1, 4], layout: 'plain' });
  g.addNode({ name: 'mul', op: 'MUL', inputs: ['x', 'w'], outputs: ['y'], attrs: { activation: 'NONE' } });
  g.inputs = ['x'];
  g.outputs = ['y'];
  g.signature = { key: 'serving_default', inputs: [{ name: 'in', tensor: 'x' }], outputs: [{ name: 'out', tensor: 'y' }] };
  g.metadata.set('k', 'v');
  return g;
}

describe('Graph.clone / restore', () => {
  it('copies structure so edits to the copy leave the original alone; constant data is shared unless asked', () => {
    const g = sample();
    const c = g.clone();
    expect(c).toEqual(g);
    c.tensor('x').shape[1] = 8;
    c.tensor('w').quant!.scale[0] = 2;
    c.nodes[0]!.inputs[1] = 'x';
    c.nodes[0]!.attrs.activation = 'RELU';
    c.outputs.push('x');
    c.signature!.inputs[0]!.name = 'changed';
    c.metadata.set('k', 'w');
    expect(g).toEqual(sample());
    expect(c.tensor('w').data).toBe(g.tensor('w').data);
    const deep = g.clone({ copyData: true });
    expect(deep.tensor('w').data).not.toBe(g.tensor('w').data);
    expect(deep.tensor('w').data).toEqual(g.tensor('w').data);
  });

  it('restore puts a saved clone back', () => {
    const g = sample();
    const saved = g.clone();
    g.removeNode(g.nodes[0]!);
    g.outputs = [];
    g.restore(saved);
    expect(g).toEqual(sample());
  });
});
