/**
 * cancel-transposes: a TRANSPOSE that reads another TRANSPOSE is rewritten to
 * read the first one's input with the composed permutation; when the
 * composition is the identity the second TRANSPOSE disappears. The first one
 * goes when nothing else reads it (left to eliminate-dead-code otherwise).
 * Layout conversion at import leaves such pairs around (NHWC→NCHW→NHWC).
 */
import type { Graph } from '../../ir/graph.js';
import { GraphIndex } from '../../ir/graph-index.js';
import { bypassNode, constInts } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';
import { isIdentityPerm } from '../../ir/ndarray.js';

export interface CancelCounts {
  cancelled: number;
  merged: number;
  declines: string[];
}

/** Cancels or merges every TRANSPOSE → TRANSPOSE pair, with `index` kept current. */
export function cancelTransposePairs(g: Graph, index: GraphIndex): CancelCounts {
  const c: CancelCounts = { cancelled: 0, merged: 0, declines: [] };
  for (const t2 of [...g.nodes]) {
    if (t2.op !== 'TRANSPOSE' || !index.has(t2)) continue;
    const mid = t2.inputs[0];
    const t1 = mid ? index.producer(mid) : undefined;
    if (!t1 || t1.op !== 'TRANSPOSE' || !mid) continue;
    const label = `TRANSPOSE '${t1.name}' → TRANSPOSE '${t2.name}'`;
    const p1 = constInts(g, t1.inputs[1]);
    const p2 = constInts(g, t2.inputs[1]);
    if (!p1 || !p2 || p1.length !== p2.length) {
      c.declines.push(`${label}: permutations are not constants of the same rank`);
      continue;
    }
    const src = t1.inputs[0]!;
    const tin = g.tensor(src);
    const tout = g.tensor(t2.outputs[0]!);
    if (tin.dtype !== tout.dtype || JSON.stringify(tin.quant) !== JSON.stringify(tout.quant)) {
      c.declines.push(`${label}: dtype or quantization differs`);
      continue;
    }
    // out2[i] = mid[p2[i]] = src[p1[p2[i]]]
    const composed = p2.map((a) => p1[a]!);
    if (isIdentityPerm(composed)) {
      const why = bypassNode(g, index, t2, src, t2.outputs[0]!);
      if (why) {
        c.declines.push(`${label}: ${why}`);
        continue;
      }
      c.cancelled++;
    } else {
      const permName = g.uniqueName(`${t2.name}_perm`);
      g.addTensor({ name: permName, dtype: 'int32', shape: [composed.length], layout: 'plain', data: Int32Array.from(composed) });
      index.remove(t2);
      t2.inputs = [src, permName];
      index.add(t2);
      c.merged++;
    }
    if (!index.consumers(mid).length && !g.outputs.includes(mid)) index.removeNode(t1);
  }
  if (c.cancelled + c.merged) {
    g.topoSort();
    g.pruneTensors();
  }
  return c;
}

export const cancelTransposes: PassSpec = {
  id: 'cancel-transposes',
  phase: 'layout',
  summary: 'remove TRANSPOSE pairs that compose to the identity, merge consecutive TRANSPOSEs',
  run(g: Graph): PassResult {
    const { cancelled, merged, declines } = cancelTransposePairs(g, new GraphIndex(g));
    return summarize('transposes cancelled or merged', cancelled + merged, declines, { cancelled, merged });
  },
};
