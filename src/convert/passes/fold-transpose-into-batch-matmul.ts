/**
 * fold-transpose-into-batch-matmul: a TRANSPOSE that only swaps the last two axes and feeds the
 * second input of a BATCH_MATMUL is folded into the BATCH_MATMUL's adjY flag: it reads the
 * TRANSPOSE's input and adjY flips (attention's q·kᵀ: k's piece [B,H,N,D] → perm (0,1,3,2)).
 * The TRANSPOSE goes when nothing else reads it. Only adjY: LiteRT's WebGPU delegate runs an
 * adjY BATCH_MATMUL (the ONNX Attention lowering emits one); adjX has no such evidence yet.
 */
import type { Graph } from '../../ir/graph.js';
import { GraphIndex } from '../../ir/graph-index.js';
import type { Node } from '../../ir/node.js';
import { constInts, constTensor, isGraphOutput, sameQuant } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

/** Whether `perm` is the identity with its last two axes swapped. */
export function swapsLastTwo(perm: readonly number[]): boolean {
  const r = perm.length;
  return r >= 2 && perm[r - 1] === r - 2 && perm[r - 2] === r - 1 && perm.slice(0, -2).every((a, i) => a === i);
}

/** Why the TRANSPOSE `t` on a BATCH_MATMUL's second input cannot become its adjY, or undefined. */
function problem(g: Graph, t: Node): string | undefined {
  const perm = constInts(g, t.inputs[1]);
  if (!perm || !swapsLastTwo(perm)) return `TRANSPOSE '${t.name}' perm ${perm ? `(${perm})` : '(not constant)'} does more than swap the last two axes`;
  const src = g.tensor(t.inputs[0]!);
  if (constTensor(g, src.name)) return `TRANSPOSE '${t.name}' reads a constant`;
  const out = g.tensor(t.outputs[0]!);
  if (src.dtype !== out.dtype || !sameQuant(src, out)) return `TRANSPOSE '${t.name}' changes dtype or quantization`;
  return undefined;
}

export const foldTransposeIntoBatchMatmul: PassSpec = {
  id: 'fold-transpose-into-batch-matmul',
  phase: 'target',
  summary: "a TRANSPOSE swapping the last two axes of a BATCH_MATMUL's second input becomes its adjY flag",
  run(g: Graph): PassResult {
    const index = new GraphIndex(g);
    const declines: string[] = [];
    let folded = 0;
    for (const mm of [...g.nodes]) {
      if (mm.op !== 'BATCH_MATMUL') continue;
      const y = mm.inputs[1];
      const t = y ? index.producer(y) : undefined;
      if (!y || !t || t.op !== 'TRANSPOSE') continue;
      const why = problem(g, t);
      if (why) {
        declines.push(`BATCH_MATMUL '${mm.name}': ${why}`);
        continue;
      }
      index.remove(mm);
      mm.inputs = [mm.inputs[0]!, t.inputs[0]!, ...mm.inputs.slice(2)];
      mm.attrs = { ...mm.attrs, adjY: !mm.attrs.adjY };
      index.add(mm);
      if (!index.consumers(y).length && !isGraphOutput(g, y)) index.removeNode(t);
      folded++;
    }
    if (folded) g.pruneTensors();
    return summarize('transposes folded into BATCH_MATMUL adjY', folded, declines, { folded });
  },
};
