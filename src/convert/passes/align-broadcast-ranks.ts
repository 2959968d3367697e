/**
 * align-broadcast-ranks: the GPU delegate's ADD / MUL accept operands of different ranks (both > 1)
 * only as 4-D vs 3-D, [1,1] or [b,c] (kStandard broadcast, notes §2.1); with equal ranks any
 * numpy broadcast passes. Prepending size-1 axes to the lower-rank operand changes nothing under
 * numpy broadcasting, so a constant operand gets the leading 1s in its shape and a runtime one a
 * RESHAPE (delegated) in front — e.g. BatchNorm on [N,C,L] as MUL/ADD with [C,1] constants.
 */
import type { Graph } from '../../ir/graph.js';
import type { Tensor } from '../../ir/tensor.js';
import { constTensor } from './graph-util.js';
import { insertReshape } from '../gpu/rewrite-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

const OPS = new Set(['ADD', 'MUL']);

/** The delegate's kStandard exceptions for different ranks (B: the higher-rank shape). */
function standardOk(B: readonly number[], S: readonly number[]): boolean {
  return (
    (B.length === 4 && S.length === 3 && B[0] === 1) ||
    (B.length === 4 && S.length === 2 && S[0] === 1 && S[1] === 1 && B[0] === 1) ||
    (B.length === 4 && S.length === 2 && S[0] === B[0] && S[1] === B[3])
  );
}

export const alignBroadcastRanks: PassSpec = {
  id: 'align-broadcast-ranks',
  phase: 'target',
  transactional: true,
  summary: 'ADD / MUL operands of different ranks get leading 1s (constant) or a RESHAPE (runtime) so the GPU delegate takes the broadcast',
  run(g: Graph): PassResult {
    let aligned = 0;
    for (const n of g.nodes.slice()) {
      if (!OPS.has(n.op) || n.inputs.length !== 2) continue;
      const [a, b] = n.inputs as [string, string];
      const ta = g.tensor(a);
      const tb = g.tensor(b);
      const ra = ta.shape.length;
      const rb = tb.shape.length;
      if (ra <= 1 || rb <= 1 || ra === rb || Math.max(ra, rb) > 4) continue;
      const [big, small]: [Tensor, Tensor] = ra > rb ? [ta, tb] : [tb, ta];
      if (standardOk(big.shape, small.shape)) continue;
      const shape = [...new Array<number>(big.shape.length - small.shape.length).fill(1), ...small.shape];
      let replacement: string;
      const c = constTensor(g, small.name);
      if (c) {
        replacement = g.uniqueName(`${small.name}_${shape.length}d`);
        g.addTensor({ ...c, name: replacement, shape, layout: 'plain' });
      } else {
        replacement = insertReshape(g, small.name, shape, `${small.name}_${shape.length}d`, n);
      }
      n.inputs = n.inputs.map((i) => (i === small.name ? replacement : i));
      aligned++;
    }
    if (aligned) g.pruneTensors();
    return summarize('broadcast operands aligned in rank', aligned, [], { aligned });
  },
};
