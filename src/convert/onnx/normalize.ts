/**
 * What onnxruntime tolerates in a real export, made regular before the import walks the graph:
 * nodes in any order (sorted topologically, keeping the file's order where it already is one — an
 * fp16 export by onnxconverter-common with keep_io_types appends its Casts at the end), empty or
 * repeated node names (made unique), the default domain spelled `ai.onnx` (made ''). A cycle is the
 * one thing refused (onnxruntime refuses it too), naming the nodes on it.
 */
import { inputError } from '../../core/errors.js';
import type { GraphProto, NodeProto } from './proto.js';

/** Names a node reads, including those its subgraphs (If / Loop / Scan bodies) take from the outer scope. */
function readNames(n: NodeProto): string[] {
  const names = (n.input ?? []).filter(Boolean);
  for (const a of n.attribute ?? []) {
    for (const g of [a.g, ...(a.graphs ?? [])]) {
      if (!g) continue;
      const inner = new Set([...(g.input ?? []), ...(g.initializer ?? [])].map((v) => v.name ?? ''));
      for (const sub of g.node ?? []) {
        for (const o of sub.output ?? []) inner.add(o);
        for (const i of readNames(sub as NodeProto)) if (!inner.has(i)) names.push(i);
      }
    }
  }
  return names;
}

/**
 * Node order in which every node comes after the producers of what it reads. Depth-first from each
 * node in file order, so an already sorted list is returned unchanged. Iterative (graphs of 10⁵ nodes).
 */
function topologicalOrder(nodes: NodeProto[], file?: string): number[] {
  const producer = new Map<string, number>();
  nodes.forEach((n, i) => {
    for (const o of n.output ?? []) if (o && !producer.has(o)) producer.set(o, i);
  });
  const deps = nodes.map((n, i) => [...new Set(readNames(n).map((x) => producer.get(x)).filter((p): p is number => p !== undefined && p !== i))]);
  const state = new Uint8Array(nodes.length); // 0 unseen, 1 on the stack, 2 placed
  const order: number[] = [];
  for (let root = 0; root < nodes.length; root++) {
    if (state[root]) continue;
    const stack: Array<[node: number, next: number]> = [[root, 0]];
    state[root] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const [n, k] = top;
      if (k < deps[n]!.length) {
        top[1]++;
        const d = deps[n]![k]!;
        if (state[d] === 2) continue;
        if (state[d] === 1) {
          const cycle = stack.slice(stack.findIndex(([m]) => m === d)).map(([m]) => nodes[m]!.name || `#${m} ${nodes[m]!.opType}`);
          throw inputError('onnx-graph-cycle', `the ONNX graph has a cycle: ${cycle.join(' → ')} → ${cycle[0]}`, { file, hint: 'onnxruntime refuses such a model too; re-export it' });
        }
        state[d] = 1;
        stack.push([d, 0]);
      } else {
        state[n] = 2;
        order.push(n);
        stack.pop();
      }
    }
  }
  return order;
}

export interface NormalizeReport {
  /** The node list was not in topological order and has been sorted. */
  reordered: boolean;
  /** Nodes that had no name or a name already taken, renamed. */
  renamed: number;
}

/** Normalizes `graph` in place (see the file comment). */
export function normalizeGraph(graph: GraphProto, file?: string): NormalizeReport {
  const nodes = (graph.node ?? []) as NodeProto[];
  const order = topologicalOrder(nodes, file);
  const reordered = order.some((n, i) => n !== i);
  if (reordered) graph.node = order.map((i) => nodes[i]!);
  const taken = new Set<string>();
  let renamed = 0;
  (graph.node ?? []).forEach((n, i) => {
    if (n.domain === 'ai.onnx') n.domain = '';
    let name = n.name || `${n.opType}_${i}`;
    for (let k = 1; taken.has(name); k++) name = `${n.name || n.opType}_${k}`;
    if (name !== n.name) {
      n.name = name;
      renamed++;
    }
    taken.add(name);
  });
  return { reordered, renamed };
}
