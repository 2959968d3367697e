/**
 * eliminate-dead-code: removes nodes none of whose outputs is read by a live
 * node or is a graph output, then tensors nothing refers to.
 */
import type { Graph } from '../../ir/graph.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

export const eliminateDeadCode: PassSpec = {
  id: 'eliminate-dead-code',
  phase: 'cleanup',
  summary: 'remove nodes whose outputs nothing reads, and unused tensors',
  run(g: Graph): PassResult {
    const live = new Set<string>(g.outputs);
    const keep = new Array<boolean>(g.nodes.length).fill(false);
    for (let i = g.nodes.length - 1; i >= 0; i--) {
      const n = g.nodes[i]!;
      if (!n.outputs.some((o) => live.has(o))) continue;
      keep[i] = true;
      for (const x of n.inputs) if (x) live.add(x);
    }
    const before = { nodes: g.nodes.length, tensors: g.tensors.size };
    g.nodes = g.nodes.filter((_, i) => keep[i]);
    g.pruneTensors();
    const nodes = before.nodes - g.nodes.length;
    const tensors = before.tensors - g.tensors.size;
    return summarize('dead nodes + unused tensors removed', nodes + tensors, [], { nodes, tensors });
  },
};
