/** Small queries and rewrites the passes share. */
import type { Graph } from '../../ir/graph.js';
import type { GraphIndex } from '../../ir/graph-index.js';
import type { Node } from '../../ir/node.js';
import { isConstant, type Tensor } from '../../ir/tensor.js';

export function isGraphOutput(g: Graph, name: string): boolean {
  return g.outputs.includes(name);
}

/** The constant tensor named `name`, or undefined when absent / not constant. */
export function constTensor(g: Graph, name: string | undefined): Tensor | undefined {
  if (!name) return undefined;
  const t = g.tensors.get(name);
  return t && isConstant(t) ? t : undefined;
}

/** Integer values of a constant (perm, shape…), or undefined. */
export function constInts(g: Graph, name: string | undefined): number[] | undefined {
  const t = constTensor(g, name);
  if (!t?.data) return undefined;
  return Array.from(t.data as ArrayLike<number | bigint>, Number);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function sameQuant(a: Tensor, b: Tensor): boolean {
  if (!a.quant && !b.quant) return true;
  if (!a.quant || !b.quant) return false;
  return JSON.stringify(a.quant) === JSON.stringify(b.quant);
}

/**
 * Removes a node whose output `to` equals its input `from` (same values, shape, dtype).
 * Readers of `to` read `from` instead. When `to` is a graph output, the producer of `from`
 * writes `to` directly (so the model's output name survives); that is impossible when `from`
 * is a graph input, a graph output or a constant: returns a reason then, and changes nothing.
 * `index` is kept current.
 */
export function bypassNode(g: Graph, index: GraphIndex, node: Node, from: string, to: string): string | undefined {
  if (!isGraphOutput(g, to)) {
    index.replaceUses(to, from);
    index.removeNode(node);
    g.tensors.delete(to);
    return undefined;
  }
  const producer = index.producer(from);
  if (!producer) return `'${to}' is a graph output and '${from}' is a graph input or constant`;
  if (isGraphOutput(g, from)) return `'${to}' and '${from}' are both graph outputs`;
  index.removeNode(node);
  index.replaceUses(from, to);
  index.renameOutput(producer, from, to);
  g.tensors.delete(from);
  return undefined;
}

/**
 * Why `name` cannot be absorbed into its producer (several readers / graph output), or undefined.
 * `readers` are its consumers when the caller keeps an index (a scan of the graph otherwise).
 */
export function exclusiveUseProblem(g: Graph, name: string, readers: readonly Node[] = g.consumersOf(name)): string | undefined {
  if (isGraphOutput(g, name)) return `'${name}' is a graph output`;
  const n = readers.length;
  if (n !== 1) return `'${name}' feeds ${n} consumers`;
  return undefined;
}
