import { describe, expect, it } from 'vitest';
import { Graph, topologicalOrder } from '../../src/ir/graph.js';
import { verify, assertValid } from '../../src/ir/verify.js';
import type { Tensor } from '../../src/ir/tensor.js';
import type { Node } from '../../src/ir/node.js';
import { broadcastShapes } from '../../src/ir/ndarray.js';

const f32 = (name: string, shape: number[], data?: Float32Array): Tensor => ({ name, dtype: 'float32', shape, layout: shape.length === 4 ? 'NHWC' : 'plain', data });

/** x → CONV_2D → y → RELU → z, a valid graph the cases below break one way each. */
function convRelu(): Graph {
  const g = new Graph();
  g.addTensor(f32('x', [1, 8, 8, 3]));
  g.addTensor(f32('w', [4, 3, 3, 3], new Float32Array(108)));
  g.addTensor(f32('b', [4], new Float32Array(4)));
  g.addTensor(f32('y', [1, 8, 8, 4]));
  g.addTensor(f32('z', [1, 8, 8, 4]));
  g.addNode({ name: 'conv', op: 'CONV_2D', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { padding: 'SAME', strideH: 1, strideW: 1 } });
  g.addNode({ name: 'relu', op: 'RELU', inputs: ['y'], outputs: ['z'], attrs: {} });
  g.inputs = ['x'];
  g.outputs = ['z'];
  return g;
}

const messages = (g: Graph) => verify(g).map((i) => i.message).join('\n');

describe('IR verify()', () => {
  it('a valid graph has no issues', () => {
    expect(verify(convRelu())).toEqual([]);
    expect(() => assertValid(convRelu())).not.toThrow();
  });

  it('catches a dangling input', () => {
    const g = convRelu();
    g.nodes[1]!.inputs = ['nowhere'];
    expect(messages(g)).toMatch(/input 'nowhere' does not exist/);
  });

  it('catches a tensor nobody produces', () => {
    const g = convRelu();
    g.addTensor(f32('orphan', [1, 8, 8, 4]));
    g.nodes[1]!.inputs = ['orphan'];
    expect(messages(g)).toMatch(/'orphan' is neither a graph input, a constant nor produced/);
  });

  it('catches a cycle', () => {
    const g = convRelu();
    g.nodes[0]!.inputs = ['z', 'w', 'b'];
    g.inputs = [];
    g.tensor('x');
    expect(messages(g)).toMatch(/cycle/);
    expect(() => topologicalOrder(g)).toThrow(/cycle/);
  });

  it('catches two producers of one tensor', () => {
    const g = convRelu();
    g.addNode({ name: 'relu2', op: 'RELU', inputs: ['y'], outputs: ['z'], attrs: {} });
    expect(messages(g)).toMatch(/written by both 'relu' and 'relu2'/);
  });

  it('catches shape mismatches: unary, conv channels, bias, reshape, concat, broadcast', () => {
    const g = convRelu();
    g.tensor('z').shape = [1, 8, 8, 5];
    expect(messages(g)).toMatch(/RELU 'relu': output shape \[1,8,8,5\] ≠ input shape \[1,8,8,4\]/);

    const c = convRelu();
    c.tensor('w').shape = [4, 3, 3, 2];
    c.tensor('w').data = new Float32Array(72);
    expect(messages(c)).toMatch(/filter input channels 2 do not divide input channels 3|do not divide/);

    const bias = convRelu();
    bias.tensor('b').shape = [3];
    bias.tensor('b').data = new Float32Array(3);
    expect(messages(bias)).toMatch(/bias has 3 elements for 4 channels/);

    const r = new Graph();
    r.addTensor(f32('a', [1, 6]));
    r.addTensor(f32('b', [2, 4]));
    r.addNode({ name: 'reshape', op: 'RESHAPE', inputs: ['a'], outputs: ['b'], attrs: { newShape: [2, 4] } });
    r.inputs = ['a'];
    r.outputs = ['b'];
    expect(messages(r)).toMatch(/changes the element count/);

    const k = new Graph();
    k.addTensor(f32('p', [1, 2, 2, 3]));
    k.addTensor(f32('q', [1, 2, 2, 5]));
    k.addTensor(f32('o', [1, 2, 2, 7]));
    k.addNode({ name: 'cat', op: 'CONCATENATION', inputs: ['p', 'q'], outputs: ['o'], attrs: { axis: 3 } });
    k.inputs = ['p', 'q'];
    k.outputs = ['o'];
    expect(messages(k)).toMatch(/concatenated axis 3 sums to 8, output has 7/);

    const add = new Graph();
    add.addTensor(f32('u', [1, 4, 4, 3]));
    add.addTensor(f32('v', [1, 4, 4, 2]));
    add.addTensor(f32('s', [1, 4, 4, 3]));
    add.addNode({ name: 'add', op: 'ADD', inputs: ['u', 'v'], outputs: ['s'], attrs: {} });
    add.inputs = ['u', 'v'];
    add.outputs = ['s'];
    expect(messages(add)).toMatch(/do not broadcast/);
  });

  it('catches dtype mismatches on inputs and outputs', () => {
    const g = new Graph();
    g.addTensor(f32('u', [2, 3]));
    g.addTensor({ name: 'v', dtype: 'int32', shape: [2, 3], layout: 'plain' });
    g.addTensor({ name: 's', dtype: 'int32', shape: [2, 3], layout: 'plain' });
    g.addNode({ name: 'add', op: 'ADD', inputs: ['u', 'v'], outputs: ['s'], attrs: {} } satisfies Node);
    g.inputs = ['u', 'v'];
    g.outputs = ['s'];
    expect(messages(g)).toMatch(/input dtypes differ: float32 vs int32/);
    g.tensor('v').dtype = 'float32';
    expect(messages(g)).toMatch(/output dtype int32 ≠ input dtype float32/);
    const r = convRelu();
    r.tensor('z').dtype = 'int64';
    expect(messages(r)).toMatch(/RELU 'relu': output dtype int64 ≠ input dtype float32/);
  });

  it('catches constant data of the wrong size and non-static shapes', () => {
    const g = convRelu();
    g.tensor('b').data = new Float32Array(5);
    expect(messages(g)).toMatch(/'b' holds 5 elements, shape \[4\] needs 4/);
    const d = convRelu();
    d.tensor('x').shape = [-1, 8, 8, 3];
    expect(messages(d)).toMatch(/non-static shape/);
  });

  it('catches graph outputs that do not exist or are never produced', () => {
    const g = convRelu();
    g.outputs = ['zz'];
    expect(messages(g)).toMatch(/graph output 'zz' does not exist/);
  });

  it('broadcastShapes follows numpy', () => {
    expect(broadcastShapes([1, 4, 4, 3], [3])).toEqual([1, 4, 4, 3]);
    expect(broadcastShapes([2, 1], [1, 5])).toEqual([2, 5]);
    expect(broadcastShapes([2, 3], [4, 3])).toBeUndefined();
  });
});
