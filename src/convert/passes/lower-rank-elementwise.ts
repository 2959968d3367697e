/**
 * lower-rank-elementwise: an elementwise op on tensors of rank > 4 (which the GPU delegate rejects,
 * notes §2.1 "Rank limit = 4") runs on a ≤ 4-D view of the same elements: size-1 axes dropped,
 * then leading axes merged until 4 remain, between a RESHAPE in and a RESHAPE out. It applies
 * only where the high-rank tensors come from / go to RESHAPEs or other such ops, so that
 * merge-reshapes then joins the RESHAPEs and no tensor of rank > 4 is left.
 * Operands must have the output's shape or one element (no other broadcasting).
 */
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { numElements } from '../../ir/tensor.js';
import { constTensor, sameShape } from './graph-util.js';
import { ELEMENTWISE_BINARY, ELEMENTWISE_UNARY, insertReshape } from '../gpu/rewrite-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

const MAX_RANK = 4;

/** The ≤ 4-D view of `shape`: size-1 axes dropped, leading axes merged. */
export function lowRankView(shape: readonly number[]): number[] {
  const out = shape.filter((d) => d !== 1);
  while (out.length > MAX_RANK) out.splice(0, 2, out[0]! * out[1]!);
  return out.length ? out : [1];
}

const isElementwise = (n: Node) => ELEMENTWISE_UNARY.has(n.op) || ELEMENTWISE_BINARY.has(n.op);
const highRank = (g: Graph, name: string) => (g.tensors.get(name)?.shape.length ?? 0) > MAX_RANK;

/** Why `n` cannot be lowered, or undefined. */
function problem(g: Graph, n: Node): string | undefined {
  if (n.outputs.length !== 1) return 'more than one output';
  const out = g.tensor(n.outputs[0]!).shape;
  for (const i of n.inputs) {
    if (!i) continue;
    const s = g.tensor(i).shape;
    if (!sameShape(s, out) && numElements(s) !== 1) return `operand '${i}' [${s}] broadcasts to [${out}]`;
    if (constTensor(g, i) || !highRank(g, i)) continue;
    const p = g.producerOf(i);
    if (!p || (p.op !== 'RESHAPE' && !isElementwise(p))) return `input '${i}' does not come from a RESHAPE`;
  }
  const y = n.outputs[0]!;
  if (g.outputs.includes(y)) return `'${y}' is a graph output`;
  const bad = g.consumersOf(y).find((c) => c.op !== 'RESHAPE' && !isElementwise(c));
  return bad ? `'${y}' feeds ${bad.op} '${bad.name}'` : undefined;
}

export const lowerRankElementwise: PassSpec = {
  id: 'lower-rank-elementwise',
  phase: 'target',
  transactional: true,
  summary: 'elementwise ops on rank > 4 tensors run on a 4-D view between RESHAPEs (the GPU delegate rejects rank > 4)',
  run(g: Graph): PassResult {
    let lowered = 0;
    const declines: string[] = [];
    for (const n of [...g.nodes]) {
      if (!isElementwise(n) || ![...n.inputs, ...n.outputs].some((t) => t && highRank(g, t))) continue;
      const why = problem(g, n);
      if (why) {
        declines.push(`${n.op} '${n.name}': ${why}`);
        continue;
      }
      const y = n.outputs[0]!;
      const ty = g.tensor(y);
      const view = lowRankView(ty.shape);
      n.inputs = n.inputs.map((i) => {
        if (!i) return i;
        const t = g.tensor(i);
        const to = numElements(t.shape) === 1 ? [1] : view;
        if (sameShape(t.shape, to)) return i;
        const c = constTensor(g, i);
        if (c) {
          const name = g.uniqueName(`${i}_${to.length}d`);
          g.addTensor({ ...c, name, shape: to, layout: 'plain' });
          return name;
        }
        return insertReshape(g, i, to, `${i}_${to.length}d`, n);
      });
      const low = g.uniqueName(`${y}_${view.length}d`);
      g.addTensor({ ...ty, name: low, shape: view, layout: view.length === 4 ? ty.layout : 'plain' });
      n.outputs = [low];
      const shapeName = g.uniqueName(`${y}_shape`);
      g.addTensor({ name: shapeName, dtype: 'int32', shape: [ty.shape.length], layout: 'plain', data: Int32Array.from(ty.shape) });
      g.nodes.splice(g.nodes.indexOf(n) + 1, 0, { name: g.uniqueName(`${n.name}_restore`), op: 'RESHAPE', inputs: [low, shapeName], outputs: [y], attrs: { newShape: [...ty.shape] } });
      lowered++;
    }
    if (lowered) g.pruneTensors();
    return summarize('elementwise ops moved to ≤ 4-D', lowered, declines, { lowered });
  },
};
