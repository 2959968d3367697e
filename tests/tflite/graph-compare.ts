/** Plain, comparable snapshots of IR graphs for tflite round-trip tests. */
import type { Graph } from '../../src/ir/graph.js';
import { MIN_RUNTIME_METADATA } from '../../src/tflite/index.js';

/** Everything a Graph holds except private bookkeeping; min_runtime_version (added by the writer) dropped. */
export function snapshot(g: Graph): unknown {
  const metadata = Object.fromEntries([...g.metadata].filter(([k]) => k !== MIN_RUNTIME_METADATA));
  return {
    tensors: [...g.tensors.values()],
    nodes: g.nodes,
    inputs: g.inputs,
    outputs: g.outputs,
    signature: g.signature,
    metadata,
    description: g.description,
  };
}
