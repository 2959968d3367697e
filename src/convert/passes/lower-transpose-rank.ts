/**
 * lower-transpose-rank: a TRANSPOSE whose axes move in runs (or that moves only size-1 axes) is
 * done at the lowest rank: RESHAPE, TRANSPOSE of the runs, RESHAPE — or one RESHAPE when the runs
 * stay in order. Applied to rank > 4 TRANSPOSEs (the GPU delegate takes rank ≤ 4) and to those
 * that reduce to a RESHAPE. A RESHAPE that only feeds the TRANSPOSE, or is its only reader, is
 * folded into the new ones.
 */
import type { Graph } from '../../ir/graph.js';
import type { GraphIndex } from '../../ir/graph-index.js';
import type { Node } from '../../ir/node.js';
import { constInts } from './graph-util.js';
import type { PassSpec } from './pass.js';
import { intsConst, isPerAxis, transposePass } from './shared/transpose-rewrite.js';

/**
 * TRANSPOSE(perm) of a `shape` tensor done at the lowest rank of its runs of moving axes: the
 * reduced input shape, perm and output shape (`identity`: the runs stay in order, a RESHAPE does
 * it). Undefined when that is no lower than rank 4 (or than `perm` itself) and not an identity.
 */
export function lowRankTranspose(shape: readonly number[], perm: readonly number[]): { redIn: number[]; redPerm: number[]; redOut: number[]; identity: boolean } | undefined {
  const nu = shape.flatMap((d, a) => (d === 1 ? [] : [a]));
  const seq = perm.filter((a) => shape[a] !== 1).map((a) => nu.indexOf(a));
  const runs: number[][] = [];
  for (const a of seq) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1]! + 1 === a) last.push(a);
    else runs.push([a]);
  }
  const order = runs.map((_, i) => i).sort((i, j) => runs[i]![0]! - runs[j]![0]!);
  const redPerm = runs.map((_, i) => order.indexOf(i));
  const identity = redPerm.every((p, i) => p === i);
  if (!identity && (perm.length <= 4 || runs.length > 4 || runs.length < 2)) return undefined;
  const dims = (run: number[]) => run.reduce((p, a) => p * shape[nu[a]!]!, 1);
  return { redIn: order.map((i) => dims(runs[i]!)), redPerm, redOut: runs.map(dims), identity };
}

/** Lowers TRANSPOSE `t` when it can; returns whether it did. */
function lowerRank(g: Graph, index: GraphIndex, t: Node): boolean {
  const perm = constInts(g, t.inputs[1]);
  const x = g.tensor(t.inputs[0]!);
  const y = g.tensor(t.outputs[0]!);
  if (!perm || isPerAxis(x) || isPerAxis(y)) return false;
  const low = lowRankTranspose(x.shape, perm);
  if (!low) return false;
  const { redIn, redPerm, redOut, identity } = low;
  index.removeNode(t);
  // a RESHAPE feeding only this TRANSPOSE folds into the new one (no rank-5 tensor left between them)
  let src = x.name;
  const before = index.producer(src);
  if (before?.op === 'RESHAPE' && !g.outputs.includes(src) && !index.consumers(src).length) {
    index.removeNode(before);
    src = before.inputs[0]!;
  }
  // likewise a RESHAPE that is the only reader of the result
  let dst = y;
  const readers = index.consumers(y.name);
  if (readers.length === 1 && readers[0]!.op === 'RESHAPE' && !g.outputs.includes(y.name)) {
    const after = readers[0]!;
    dst = g.tensor(after.outputs[0]!);
    index.removeNode(after);
  }
  const reshape = (input: string, shape: number[], output: string, base: string) =>
    index.addNode({ name: index.fresh(base), op: 'RESHAPE', inputs: [input, intsConst(g, index, `${base}_shape`, shape)], outputs: [output], attrs: { newShape: [...shape] }, sourceNode: t.sourceNode });
  if (identity) {
    reshape(src, dst.shape, dst.name, `${t.name}_as_reshape`);
    return true;
  }
  const a = index.fresh(`${t.name}_in_${redIn.length}d`);
  const b = index.fresh(`${t.name}_out_${redOut.length}d`);
  g.addTensor({ name: a, dtype: x.dtype, shape: redIn, layout: 'plain', quant: x.quant });
  g.addTensor({ name: b, dtype: y.dtype, shape: redOut, layout: 'plain', quant: y.quant });
  reshape(src, redIn, a, `${t.name}_to_${redIn.length}d`);
  index.addNode({ name: index.fresh(`${t.name}_${redIn.length}d`), op: 'TRANSPOSE', inputs: [a, intsConst(g, index, `${t.name}_perm`, redPerm)], outputs: [b], attrs: {}, sourceNode: t.sourceNode });
  reshape(b, dst.shape, dst.name, `${t.name}_from_${redOut.length}d`);
  return true;
}

/** Lowers every TRANSPOSE it can; returns how many. Leaves new nodes at the end (the caller sorts). */
export function lowerTransposeRanks(g: Graph, index: GraphIndex): number {
  return g.nodes.filter((n) => n.op === 'TRANSPOSE').filter((t) => lowerRank(g, index, t)).length;
}

export const lowerTransposeRank: PassSpec = transposePass(
  {
    id: 'lower-transpose-rank',
    phase: 'layout',
    summary: 'do each TRANSPOSE at the lowest rank of its runs of moving axes: rank > 4 ones as RESHAPE + rank ≤ 4 TRANSPOSE + RESHAPE, ones moving only size-1 axes as a RESHAPE',
  },
  'transposes lowered in rank',
  'lowered',
  lowerTransposeRanks,
);
