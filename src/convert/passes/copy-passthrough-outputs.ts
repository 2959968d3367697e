/**
 * copy-passthrough-outputs: a graph output that is also a graph input (an
 * ONNX Identity / Dropout / identity Transpose model, once those are removed)
 * or that is listed twice gets its own tensor, written by a RESHAPE to the
 * same shape (an exact copy). A TFLite subgraph whose output tensor is its
 * input tensor, with no operator writing it, returns garbage in LiteRT.
 * Runs last: remove-identity would otherwise drop the copy again.
 */
import type { Graph } from '../../ir/graph.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

export const copyPassthroughOutputs: PassSpec = {
  id: 'copy-passthrough-outputs',
  phase: 'cleanup',
  summary: 'give graph outputs that are graph inputs (or repeated outputs) their own tensor via an exact RESHAPE copy',
  run(g: Graph): PassResult {
    let copied = 0;
    const seen = new Set<string>();
    g.outputs = g.outputs.map((o, index) => {
      const passthrough = g.inputs.includes(o) || seen.has(o);
      seen.add(o);
      if (!passthrough) return o;
      const t = g.tensor(o);
      const out = g.uniqueName(`${o}_copy`);
      const shape = g.uniqueName(`${o}_copy_shape`);
      g.addTensor({ ...t, name: out, data: undefined, strings: undefined, isVariable: undefined });
      g.addTensor({ name: shape, dtype: 'int32', shape: [t.shape.length], layout: 'plain', data: Int32Array.from(t.shape) });
      g.addNode({ name: g.uniqueName(`${o}_copy_node`), op: 'RESHAPE', inputs: [o, shape], outputs: [out], attrs: { newShape: [...t.shape] } });
      const sig = g.signature?.outputs.filter((s) => s.tensor === o);
      // the k-th signature entry naming `o` follows the k-th graph output slot naming it
      const slot = g.outputs.slice(0, index).filter((x) => x === o).length;
      const entry = sig?.[slot] ?? sig?.[0];
      if (entry) entry.tensor = out;
      copied++;
      return out;
    });
    return summarize('pass-through outputs copied', copied, [], { copied });
  },
};
