/**
 * lower-rank-elementwise: an elementwise op on tensors of rank > 4 (which the GPU delegate rejects,
 * notes §2.1 "Rank limit = 4") runs on a ≤ 4-D view of the same elements: size-1 axes dropped,
 * then leading axes merged until 4 remain, between a RESHAPE in and a RESHAPE out. It applies
 * only where the high-rank tensors come from / go to RESHAPEs or other such ops, so that
 * merge-reshapes then joins the RESHAPEs and no tensor of rank > 4 is left.
 * Runtime operands must have the output's shape or one element; a constant operand may broadcast
 * (Swin's shifted-window mask [1,nW,1,N,N] added to [1,nW,H,N,N]): then the view keeps apart the
 * axes it broadcasts along from those it does not, padded to 4-D so the constant is read as [1,H,W,C].
 */
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { numElements } from '../../ir/tensor.js';
import { constTensor, sameShape } from './graph-util.js';
import { ELEMENTWISE_BINARY, ELEMENTWISE_UNARY, insertReshape, restoreAfter } from '../gpu/rewrite-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

const MAX_RANK = 4;

/** The ≤ 4-D view of `shape`: size-1 axes dropped, leading axes merged. */
export function lowRankView(shape: readonly number[]): number[] {
  const out = shape.filter((d) => d !== 1);
  while (out.length > MAX_RANK) out.splice(0, 2, out[0]! * out[1]!);
  return out.length ? out : [1];
}

/**
 * The ≤ 4-D view of `out` for operands that broadcast (`operands`, right-aligned): size-1 axes
 * dropped, adjacent axes merged where every operand is full along both or broadcast along both,
 * padded with leading size-1 axes to 4-D. Each group is a list of axes of `out`; undefined when
 * more than 4 groups are needed.
 */
export function broadcastView(out: readonly number[], operands: ReadonlyArray<readonly number[]>): number[][] | undefined {
  const padded = operands.map((s) => [...new Array<number>(out.length - s.length).fill(1), ...s]);
  const key = (a: number) => padded.map((s) => (s[a] === out[a] ? 'f' : 'b')).join('');
  const groups: number[][] = [];
  let last = '';
  out.forEach((d, a) => {
    if (d === 1) return;
    const k = key(a);
    if (groups.length && k === last) groups[groups.length - 1]!.push(a);
    else groups.push([a]);
    last = k;
  });
  if (groups.length > MAX_RANK) return undefined;
  while (groups.length < MAX_RANK) groups.unshift([]);
  return groups;
}

/** `shape` (right-aligned to `rank`) seen through `groups`. */
function viewOf(shape: readonly number[], rank: number, groups: readonly number[][]): number[] {
  const padded = [...new Array<number>(rank - shape.length).fill(1), ...shape];
  return groups.map((axes) => axes.reduce((p, a) => p * padded[a]!, 1));
}

/** Whether constant operands of `n` broadcast (other than one-element ones). */
function broadcasts(g: Graph, n: Node): boolean {
  const out = g.tensor(n.outputs[0]!).shape;
  return n.inputs.some((i) => i && constTensor(g, i) && numElements(g.tensor(i).shape) !== 1 && !sameShape(g.tensor(i).shape, out));
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
    const bcast = !sameShape(s, out) && numElements(s) !== 1;
    if (bcast && !constTensor(g, i)) return `runtime operand '${i}' [${s}] broadcasts to [${out}]`;
    if (bcast && !broadcastView(out, [s])) return `operand '${i}' [${s}] broadcasts to [${out}] along axes no 4-D view keeps apart`;
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
      const groups = broadcasts(g, n) ? broadcastView(ty.shape, n.inputs.filter((i) => i && numElements(g.tensor(i).shape) !== 1).map((i) => g.tensor(i).shape)) : undefined;
      if (broadcasts(g, n) && !groups) {
        declines.push(`${n.op} '${n.name}': its operands broadcast along axes no 4-D view keeps apart`);
        continue;
      }
      const view = groups ? viewOf(ty.shape, ty.shape.length, groups) : lowRankView(ty.shape);
      n.inputs = n.inputs.map((i) => {
        if (!i) return i;
        const t = g.tensor(i);
        const to = numElements(t.shape) === 1 ? [1] : groups ? viewOf(t.shape, ty.shape.length, groups) : view;
        if (sameShape(t.shape, to)) return i;
        const c = constTensor(g, i);
        if (c) {
          const name = g.uniqueName(`${i}_${to.length}d`);
          g.addTensor({ ...c, name, shape: to, layout: 'plain' });
          return name;
        }
        return insertReshape(g, i, to, `${i}_${to.length}d`, n);
      });
      n.outputs = [restoreAfter(g, n, y, view)];
      lowered++;
    }
    if (lowered) g.pruneTensors();
    return summarize('elementwise ops moved to ≤ 4-D', lowered, declines, { lowered });
  },
};
