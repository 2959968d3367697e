/**
 * `--outputs` on an ONNX graph: the graph's outputs become the chosen values (graph outputs or any
 * intermediate value) and only the nodes they need stay.
 */
import { nodesNeeded, resolveOutputs, type NodeAccess } from '../select-outputs.js';
import type { GraphProto, NodeProto, ValueInfoProto } from './proto.js';

const ACCESS: NodeAccess<NodeProto> = {
  reads: (n) => n.input ?? [],
  writes: (n) => n.output ?? [],
};

/** Keeps only `names` as outputs of `graph` (in that order) and the nodes they need; unused graph inputs stay. */
export function selectOnnxOutputs(graph: GraphProto, names: readonly string[], file?: string): void {
  const nodes = (graph.node ?? []) as NodeProto[];
  const outputs = (graph.output ?? []).map((o) => o.name ?? '');
  const wanted = resolveOutputs(names, outputs, nodes, ACCESS, file);
  const declared = new Map<string, ValueInfoProto>([...(graph.valueInfo ?? []), ...(graph.output ?? [])].map((v) => [v.name ?? '', v]));
  // a declaration gives the dtype an output left without data would need (empty.ts); else the name alone
  graph.output = wanted.map((w) => (declared.get(w) ?? { name: w }) as NonNullable<GraphProto['output']>[number]);
  graph.node = nodesNeeded(nodes, wanted, ACCESS);
}
