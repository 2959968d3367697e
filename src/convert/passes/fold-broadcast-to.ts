/**
 * fold-broadcast-to: a BROADCAST_TO (never delegated to the GPU, notes §2.2) whose readers are
 * elementwise binary ops is dropped: each reader takes the un-broadcast tensor and broadcasts it
 * itself, which gives the same output when the reader's output shape is unchanged. A reader for
 * which that does not hold keeps reading the BROADCAST_TO.
 */
import type { Graph } from '../../ir/graph.js';
import { sameShape } from './graph-util.js';
import { ELEMENTWISE_BINARY } from '../gpu/rewrite-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';
import { broadcastShapes } from '../../ir/ndarray.js';

export const foldBroadcastTo: PassSpec = {
  id: 'fold-broadcast-to',
  phase: 'target',
  transactional: true,
  summary: 'BROADCAST_TO read by elementwise ops → the ops broadcast the input themselves',
  run(g: Graph): PassResult {
    let folded = 0;
    const declines: string[] = [];
    for (const b of [...g.nodes]) {
      if (b.op !== 'BROADCAST_TO') continue;
      const x = b.inputs[0]!;
      const y = b.outputs[0]!;
      const sx = g.tensor(x).shape;
      for (const c of g.consumersOf(y)) {
        const out = c.outputs[0] ? g.tensors.get(c.outputs[0]) : undefined;
        if (!ELEMENTWISE_BINARY.has(c.op) || !out || c.inputs.length !== 2) {
          declines.push(`BROADCAST_TO '${b.name}': read by ${c.op} '${c.name}'`);
          continue;
        }
        const other = c.inputs[0] === y ? c.inputs[1]! : c.inputs[0]!;
        const so = other === y ? sx : g.tensor(other).shape;
        const s = broadcastShapes(sx, so);
        if (!s || !sameShape(s, out.shape)) {
          declines.push(`BROADCAST_TO '${b.name}': ${c.op} '${c.name}' would change shape without it`);
          continue;
        }
        c.inputs = c.inputs.map((i) => (i === y ? x : i));
        folded++;
      }
      if (!g.consumersOf(y).length && !g.outputs.includes(y)) g.removeNode(b);
    }
    if (folded) g.pruneTensors();
    return summarize('BROADCAST_TO reads folded into elementwise ops', folded, declines, { folded });
  },
};
