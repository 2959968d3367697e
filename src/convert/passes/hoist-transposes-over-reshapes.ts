/**
 * hoist-transposes-over-reshapes: TRANSPOSE(RESHAPE(TRANSPOSE(w))) where the upper TRANSPOSE cannot
 * sink through the RESHAPE (the reshape mixes axes it reorders): the lower TRANSPOSE is hoisted
 * above the RESHAPE instead, `RESHAPE(TRANSPOSE'(z))`, so the two TRANSPOSEs meet and
 * cancel-transposes merges them (the channel-shuffle view / transpose / view).
 */
import type { Graph } from '../../ir/graph.js';
import type { GraphIndex } from '../../ir/graph-index.js';
import { inversePerm } from '../../ir/ndarray.js';
import { constInts } from './graph-util.js';
import type { PassSpec } from './pass.js';
import { intsConst, isPerAxis, layoutFor, reshapeBeforeTranspose, transposePass } from './shared/transpose-rewrite.js';

/** Hoists every such TRANSPOSE; returns how many. Leaves new nodes at the end (the caller sorts). */
export function hoistOverReshapes(g: Graph, index: GraphIndex): number {
  let hoisted = 0;
  for (const t2 of [...g.nodes]) {
    if (t2.op !== 'TRANSPOSE' || !index.has(t2)) continue;
    const r = index.producer(t2.inputs[0]!);
    if (r?.op !== 'RESHAPE' || g.outputs.includes(r.outputs[0]!) || index.consumers(r.outputs[0]!).length !== 1) continue;
    const z = r.inputs[0]!;
    const t1 = index.producer(z);
    const p1 = t1?.op === 'TRANSPOSE' ? constInts(g, t1.inputs[1]) : undefined;
    // only where the upper TRANSPOSE could not sink through the RESHAPE (else the two would chase each other)
    if (!t1 || !p1 || reshapeBeforeTranspose(g.tensor(t1.inputs[0]!).shape, p1, g.tensor(r.outputs[0]!).shape)) continue;
    const q = constInts(g, t2.inputs[1]);
    const y = g.tensor(t2.outputs[0]!);
    const zt = g.tensor(z);
    if (!q || isPerAxis(y) || isPerAxis(zt)) continue;
    // y = T_q(R(z)) ⇔ z = R(T_q⁻¹(y)) = T_p(R_s(y)) ⇔ y = R(T_p⁻¹(z))
    const res = reshapeBeforeTranspose(y.shape, inversePerm(q), zt.shape);
    if (!res) continue;
    const back = inversePerm(res.perm);
    const mid = index.fresh(`${y.name}_hoisted`);
    g.addTensor({ name: mid, dtype: zt.dtype, shape: res.shape, layout: layoutFor(res.shape.length, y), quant: y.quant });
    index.removeNode(t2);
    index.removeNode(r);
    index.addNode({ name: index.fresh(`${t2.name}_hoisted`), op: 'TRANSPOSE', inputs: [z, intsConst(g, index, `${t2.name}_perm`, back)], outputs: [mid], attrs: {}, sourceNode: t2.sourceNode });
    index.addNode({ ...r, inputs: [mid, intsConst(g, index, `${r.name}_shape`, y.shape)], outputs: [y.name], attrs: { ...r.attrs, newShape: [...y.shape] } });
    hoisted++;
  }
  return hoisted;
}

export const hoistTransposesOverReshapes: PassSpec = transposePass(
  {
    id: 'hoist-transposes-over-reshapes',
    phase: 'layout',
    summary: 'move a TRANSPOSE above the RESHAPE it reads when a TRANSPOSE above that RESHAPE cannot come down, so the two meet',
  },
  'transposes hoisted over reshapes',
  'hoisted',
  hoistOverReshapes,
);
