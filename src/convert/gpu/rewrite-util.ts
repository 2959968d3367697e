/** Helpers the GPU-rewrite passes (src/convert/passes) share: making a RESHAPE node, the elementwise op sets. */
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { opsWhere } from '../../ir/op-traits.js';

/** Turns `n` into RESHAPE(input → its output's shape), with a fresh int32 shape constant. */
export function makeReshape(g: Graph, n: Node, input: string): void {
  const shape = g.tensor(n.outputs[0]!).shape;
  const shapeName = g.uniqueName(`${n.name}_shape`);
  g.addTensor({ name: shapeName, dtype: 'int32', shape: [shape.length], layout: 'plain', data: Int32Array.from(shape) });
  n.op = 'RESHAPE';
  n.inputs = [input, shapeName];
  n.attrs = { newShape: [...shape] };
  n.version = undefined;
}

/** Adds a RESHAPE of `input` to `shape` before `before` (in node order); returns its output tensor name. */
export function insertReshape(g: Graph, input: string, shape: number[], base: string, before: Node): string {
  const src = g.tensor(input);
  const out = g.uniqueName(base);
  g.addTensor({ name: out, dtype: src.dtype, shape: [...shape], layout: shape.length === 4 ? src.layout : 'plain', ...(src.quant ? { quant: src.quant } : {}) });
  const shapeName = g.uniqueName(`${out}_shape`);
  g.addTensor({ name: shapeName, dtype: 'int32', shape: [shape.length], layout: 'plain', data: Int32Array.from(shape) });
  const node: Node = { name: g.uniqueName(`${base}_reshape`), op: 'RESHAPE', inputs: [input, shapeName], outputs: [out], attrs: { newShape: [...shape] } };
  g.nodes.splice(g.nodes.indexOf(before), 0, node);
  return out;
}

/**
 * Has `n` write `y` as a `shape` view (a new tensor, returned) and adds, right after `n`, the
 * RESHAPE of that view back to `y`. The caller puts the returned name in `n.outputs`.
 */
export function restoreAfter(g: Graph, n: Node, y: string, shape: number[]): string {
  const ty = g.tensor(y);
  const low = g.uniqueName(`${y}_${shape.length}d`);
  g.addTensor({ ...ty, name: low, shape: [...shape], layout: shape.length === 4 ? ty.layout : 'plain' });
  const shapeName = g.uniqueName(`${y}_shape`);
  g.addTensor({ name: shapeName, dtype: 'int32', shape: [ty.shape.length], layout: 'plain', data: Int32Array.from(ty.shape) });
  g.nodes.splice(g.nodes.indexOf(n) + 1, 0, { name: g.uniqueName(`${n.name}_restore`), op: 'RESHAPE', inputs: [low, shapeName], outputs: [y], attrs: { newShape: [...ty.shape] } });
  return low;
}

/** One runtime input, same shape out, value-wise: any reshape of the input commutes with them. */
export const ELEMENTWISE_UNARY = opsWhere((t) => t.valueWise === 'unary');

/** Two inputs with numpy broadcasting; value-wise when both operands have the output's shape or one element. */
export const ELEMENTWISE_BINARY = opsWhere((t) => t.valueWise === 'binary');
