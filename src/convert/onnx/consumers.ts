/** Which op types consume each ONNX value (graph outputs count as 'graph output'), for importers that must know their users. */
import type { GraphProto } from './proto.js';

export const GRAPH_OUTPUT = 'graph output';

export function consumerOps(graph: GraphProto): Map<string, string[]> {
  const m = new Map<string, string[]>();
  const add = (v: string, op: string) => {
    const l = m.get(v);
    if (l) l.push(op);
    else m.set(v, [op]);
  };
  for (const n of graph.node ?? []) for (const i of n.input ?? []) if (i) add(i, n.opType ?? '');
  for (const o of graph.output ?? []) if (o.name) add(o.name, GRAPH_OUTPUT);
  return m;
}
