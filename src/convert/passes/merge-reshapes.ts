/**
 * merge-reshapes: a RESHAPE that reads another RESHAPE reads the first one's input instead (a
 * reshape only reinterprets the same row-major elements), and the first goes when nothing else
 * reads it. This is what removes the 5-D tensors left between a reshape in and a reshape out once
 * lower-rank-elementwise has moved the ops between them to 4-D.
 */
import type { Graph } from '../../ir/graph.js';
import { sameQuant } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

export const mergeReshapes: PassSpec = {
  id: 'merge-reshapes',
  phase: 'cleanup',
  summary: 'RESHAPE of a RESHAPE → one RESHAPE',
  run(g: Graph): PassResult {
    let merged = 0;
    for (const r2 of [...g.nodes]) {
      if (r2.op !== 'RESHAPE' || !g.nodes.includes(r2)) continue;
      const mid = r2.inputs[0];
      const r1 = mid ? g.producerOf(mid) : undefined;
      if (!mid || !r1 || r1.op !== 'RESHAPE') continue;
      const src = r1.inputs[0]!;
      if (g.tensor(src).dtype !== g.tensor(r2.outputs[0]!).dtype || !sameQuant(g.tensor(src), g.tensor(mid))) continue;
      r2.inputs = [src, ...r2.inputs.slice(1)];
      merged++;
      if (!g.consumersOf(mid).length && !g.outputs.includes(mid)) g.removeNode(r1);
    }
    if (merged) g.pruneTensors();
    return summarize('RESHAPE pairs merged', merged, [], { merged });
  },
};
