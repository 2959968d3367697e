/**
 * cut-before-transpose: a rank > 4 TRANSPOSE that lower-transpose-rank cannot bring to rank 4
 * (its moving axes form more than 4 runs), whose every reader cuts it along one axis — SPLIT /
 * SPLIT_V, SLICE / STRIDED_SLICE, GATHER of consecutive constant indices (taken as a SLICE) — is
 * moved below them: the pieces are cut from its input and each is transposed on its own. A piece
 * that is one element thick along the cut axis has one run fewer, so its TRANSPOSE is lowered to
 * rank ≤ 4 (timm / torchvision attention: qkv [B,N,3,H,D] → perm (2,0,3,1,4) → q, k, v). It
 * applies only when every piece's TRANSPOSE lowers; lower-rank-slices then takes the cut itself.
 * Better still, when the cut axis can move elsewhere in the perm so that it lowers to rank ≤ 4
 * ((0,2,3,1,4): [B,3·H,N,D]), that one TRANSPOSE stays before the cut and each piece only moves
 * its one-element-thick axis back: a RESHAPE. A TRANSPOSE of any rank whose pieces all reduce to
 * RESHAPEs that way (it moves only the axis they are cut thin along) goes below the cut too.
 */
import type { Graph } from '../../ir/graph.js';
import { GraphIndex } from '../../ir/graph-index.js';
import type { Node } from '../../ir/node.js';
import { inversePerm, permuteShape } from '../../ir/ndarray.js';
import { internalError } from '../../core/errors.js';
import { constInts } from './graph-util.js';
import { lowRankTranspose, lowerTransposeRanks } from './lower-transpose-rank.js';
import { consecutiveGather } from './lower-rank-slices.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';
import { intsConst } from './shared/transpose-rewrite.js';
import { sink } from './sink-transposes-below-ops.js';

const CUTS = new Set(['SPLIT', 'SPLIT_V', 'SLICE', 'STRIDED_SLICE', 'GATHER']);

/**
 * Why the readers of TRANSPOSE `t` cannot take the cut before it, or undefined. `vanish`: every
 * piece's TRANSPOSE must reduce to a RESHAPE (not only to rank ≤ 4).
 */
function problem(g: Graph, index: GraphIndex, t: Node, perm: number[], vanish = false): string | undefined {
  const y = t.outputs[0]!;
  if (g.outputs.includes(y)) return `'${y}' is a graph output`;
  const readers = index.consumers(y);
  if (!readers.length) return 'no readers';
  const inv = inversePerm(perm);
  for (const c of readers) {
    if (!CUTS.has(c.op) || c.inputs.indexOf(y) !== (c.op === 'SPLIT' ? 1 : 0)) return `'${y}' feeds ${c.op} '${c.name}'`;
    if (c.op === 'GATHER') {
      const run = consecutiveGather(g, c);
      if (typeof run === 'string') return `GATHER '${c.name}': ${run}`;
      if (g.tensor(c.inputs[1]!).shape.length !== 1) return `GATHER '${c.name}' drops its axis`;
    }
    for (const o of c.outputs) {
      const piece = permuteShape(g.tensor(o).shape, inv);
      const low = piece.length === perm.length ? lowRankTranspose(piece, perm) : undefined;
      if (!low || (vanish && !low.identity)) return `the piece '${o}' [${piece}] of ${c.op} '${c.name}' still needs a rank-${perm.length} TRANSPOSE`;
    }
  }
  return undefined;
}

/**
 * `perm` as TRANSPOSE(perm') then TRANSPOSE(q), where perm' lowers to rank ≤ 4 on `shape` and q
 * only moves the output axis `axis` (each piece is one element thick there), or undefined.
 */
function moveCutAxis(shape: readonly number[], perm: readonly number[], axis: number): { first: number[]; then: number[] } | undefined {
  const c = perm[axis]!;
  const rest = perm.filter((a) => a !== c);
  for (let k = 0; k < perm.length; k++) {
    if (k === axis) continue;
    const first = [...rest.slice(0, k), c, ...rest.slice(k)];
    if (lowRankTranspose(shape, first)) return { first, then: perm.map((a) => first.indexOf(a)) };
  }
  return undefined;
}

/** Output axes of TRANSPOSE `t` along which every piece its readers cut is one element thick. */
function thinAxes(g: Graph, index: GraphIndex, t: Node): number[] {
  const out = g.tensor(t.outputs[0]!).shape;
  const pieces = index.consumers(t.outputs[0]!).flatMap((c) => c.outputs.map((o) => g.tensor(o).shape));
  return out.flatMap((d, a) => (d > 1 && pieces.length && pieces.every((p) => p.length === out.length && p[a] === 1) ? [a] : []));
}

/**
 * Splits TRANSPOSE `t` (perm `perm`) into a TRANSPOSE that lowers to rank ≤ 4, then one that only
 * moves a cut axis its readers take one element thick (readers' problem() checked against it).
 * Returns the second perm, with `t` rewired to it, or undefined (graph unchanged).
 */
function splitAtCutAxis(g: Graph, index: GraphIndex, t: Node, perm: number[]): number[] | undefined {
  const x = g.tensor(t.inputs[0]!);
  for (const axis of thinAxes(g, index, t)) {
    const moved = moveCutAxis(x.shape, perm, axis);
    if (!moved || problem(g, index, t, moved.then)) continue;
    const mid = index.fresh(`${t.name}_cut_axis_moved`);
    g.addTensor({ name: mid, dtype: x.dtype, shape: permuteShape(x.shape, moved.first), layout: 'plain', quant: x.quant });
    index.addNode({ name: index.fresh(`${t.name}_before_cut`), op: 'TRANSPOSE', inputs: [x.name, intsConst(g, index, `${t.name}_first_perm`, moved.first)], outputs: [mid], attrs: {}, sourceNode: t.sourceNode });
    index.remove(t);
    t.inputs = [mid, intsConst(g, index, `${t.name}_then_perm`, moved.then)];
    index.add(t);
    return moved.then;
  }
  return undefined;
}

/** GATHER of consecutive indices (1-D) → the equal SLICE, in place. */
function gatherAsSlice(g: Graph, index: GraphIndex, n: Node): void {
  const run = consecutiveGather(g, n);
  if (typeof run === 'string') return;
  const xs = g.tensor(n.inputs[0]!).shape;
  const begin = xs.map((_, a) => (a === run.axis ? run.first : 0));
  const size = xs.map((d, a) => (a === run.axis ? run.count : d));
  index.remove(n);
  n.op = 'SLICE';
  n.inputs = [n.inputs[0]!, intsConst(g, index, `${n.name}_begin`, begin), intsConst(g, index, `${n.name}_size`, size)];
  n.attrs = {};
  n.version = undefined;
  index.add(n);
}

export const cutBeforeTranspose: PassSpec = {
  id: 'cut-before-transpose',
  phase: 'target',
  transactional: true,
  summary: 'a rank > 4 TRANSPOSE whose readers all cut it along one axis (split / slice / gather) is done at rank ≤ 4 before the cut or on each piece; one the pieces need only as RESHAPEs is dropped',
  run(g: Graph): PassResult {
    const index = new GraphIndex(g);
    const declines: string[] = [];
    let moved = 0;
    let before = 0;
    for (const t of [...g.nodes]) {
      if (t.op !== 'TRANSPOSE' || !index.has(t)) continue;
      const full = constInts(g, t.inputs[1]);
      if (!full) continue;
      let perm = full;
      if (full.length <= 4 || lowRankTranspose(g.tensor(t.inputs[0]!).shape, full)) {
        // a GPU-ready TRANSPOSE moves below its cuts only where every piece then needs a RESHAPE at most
        if (problem(g, index, t, full, true)) continue;
      } else {
        const then = splitAtCutAxis(g, index, t, full);
        const why = then ? undefined : problem(g, index, t, full);
        if (why) {
          declines.push(`TRANSPOSE '${t.name}': ${why}`);
          continue;
        }
        if (then) {
          perm = then;
          before++;
        }
      }
      for (const c of [...index.consumers(t.outputs[0]!)]) {
        if (c.op === 'GATHER') gatherAsSlice(g, index, c);
        const failed = sink(g, index, c, { perm, transposes: [t] });
        if (failed) throw internalError(`cut-before-transpose: ${c.op} '${c.name}' did not take the TRANSPOSE: ${failed}`);
      }
      moved++;
    }
    if (!moved) return summarize('transposes moved below their cuts', 0, declines, { moved });
    const lowered = lowerTransposeRanks(g, index);
    g.topoSort();
    g.pruneTensors();
    return summarize('transposes moved below their cuts', moved, declines, { moved, lowered, before });
  },
};
