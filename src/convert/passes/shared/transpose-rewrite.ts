/**
 * What the transpose passes (sink-transposes-below-ops, hoist-transposes-over-reshapes,
 * hoist-transposes-over-ops, lower-transpose-rank) share: the ops a TRANSPOSE can cross, the
 * RESHAPE ⇄ TRANSPOSE exchange, and the rewrite of an op's own per-axis arguments when the
 * TRANSPOSE moves to its other side.
 */
import type { Graph } from '../../../ir/graph.js';
import { GraphIndex } from '../../../ir/graph-index.js';
import type { Node } from '../../../ir/node.js';
import type { Layout, Tensor } from '../../../ir/tensor.js';
import { opsWhere } from '../../../ir/op-traits.js';
import { inversePerm, permuteShape } from '../../../ir/ndarray.js';
import type { OpName } from '../../../ir/op-names.js';
import { constInts } from '../graph-util.js';
import { summarize, type PassSpec } from '../pass.js';

export const UNARY = opsWhere((t) => t.valueWise === 'unary');
export const BINARY = opsWhere((t) => t.valueWise === 'binary' || t.valueWise === 'select');
export const PADS = new Set<OpName>(['PAD', 'PADV2', 'MIRROR_PAD']);
export const REDUCERS = new Set<OpName>(['MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_PROD']);
/** Ops whose per-axis constant argument (input 1, …) is permuted along with the data. */
export const PER_AXIS_ARGS: Partial<Record<OpName, number[]>> = { SLICE: [1, 2], STRIDED_SLICE: [1, 2, 3], TILE: [1] };

export function isPerAxis(t: Tensor): boolean {
  return !!t.quant && t.quant.scale.length > 1;
}

export function layoutFor(rank: number, like: Tensor): Layout {
  return rank === 4 && like.shape.length === 4 ? like.layout : 'plain';
}

/** A new int32 constant (a perm, shape, axis list) named after `base`. */
export function intsConst(g: Graph, index: GraphIndex, base: string, values: readonly number[], shape: number[] = [values.length]): string {
  const t = index.fresh(base);
  g.addTensor({ name: t, dtype: 'int32', shape, layout: 'plain', data: Int32Array.from(values) });
  return t;
}

export function countTransposes(g: Graph): number {
  return g.nodes.filter((n) => n.op === 'TRANSPOSE').length;
}

/**
 * A transpose rewrite as a pass of its own: one index, the rewrite (returning how many it made),
 * then the nodes sorted and unused tensors dropped. `what` and `stat` name the count in the report.
 */
export function transposePass(spec: Omit<PassSpec, 'run'>, what: string, stat: string, rewrite: (g: Graph, index: GraphIndex) => number): PassSpec {
  return {
    ...spec,
    run(g) {
      const n = rewrite(g, new GraphIndex(g));
      if (n) {
        g.topoSort();
        g.pruneTensors();
      }
      return summarize(what, n, [], { [stat]: n, transposesLeft: countTransposes(g) });
    },
  };
}

/**
 * RESHAPE after TRANSPOSE as RESHAPE before it: `reshape(transpose(x, perm), target)` equals
 * `transpose(reshape(x, shape), perm2)`; undefined when the reshape mixes axes the perm reorders.
 * Size-1 axes are free; the other axes of transpose(x) and of `target` are matched in groups of
 * equal product, and each group must come from axes of x that are adjacent and in order.
 */
export function reshapeBeforeTranspose(xShape: readonly number[], perm: readonly number[], target: readonly number[]): { shape: number[]; perm: number[] } | undefined {
  const mid = perm.map((p) => xShape[p]!);
  const mNU = mid.flatMap((d, i) => (d === 1 ? [] : [i]));
  const rNU = target.flatMap((d, i) => (d === 1 ? [] : [i]));
  const xNU = xShape.flatMap((d, i) => (d === 1 ? [] : [i]));
  // groups: [m0, m1) of mNU ↔ [r0, r1) of rNU with equal products
  const groups: Array<{ m0: number; m1: number; r0: number; r1: number }> = [];
  let i = 0;
  let j = 0;
  while (i < mNU.length && j < rNU.length) {
    const m0 = i;
    const r0 = j;
    let pm = mid[mNU[i++]!]!;
    let pr = target[rNU[j++]!]!;
    while (pm !== pr) {
      if (pm < pr) {
        if (i >= mNU.length) return undefined;
        pm *= mid[mNU[i++]!]!;
      } else {
        if (j >= rNU.length) return undefined;
        pr *= target[rNU[j++]!]!;
      }
    }
    groups.push({ m0, m1: i, r0, r1: j });
  }
  if (i !== mNU.length || j !== rNU.length) return undefined;
  // each group's x axes must be consecutive (among x's non-unit axes) and increasing
  const start: number[] = [];
  for (const gr of groups) {
    const pos = mNU.slice(gr.m0, gr.m1).map((a) => xNU.indexOf(perm[a]!));
    if (pos.some((p, k) => p !== pos[0]! + k)) return undefined;
    start.push(pos[0]!);
  }
  // the reshaped x lists the groups in x's order; the unit axes of target keep their positions
  const order = groups.map((_, k) => k).sort((a, b) => start[a]! - start[b]!);
  const xDims: number[] = [];
  const at = new Array<number>(groups.length);
  for (const k of order) {
    at[k] = xDims.length;
    const gr = groups[k]!;
    for (let t = gr.r0; t < gr.r1; t++) xDims.push(target[rNU[t]!]!);
  }
  const shape = [...target];
  rNU.forEach((q, t) => (shape[q] = xDims[t]!));
  const perm2 = target.map((_, q) => q);
  groups.forEach((gr, k) => {
    for (let t = gr.r0; t < gr.r1; t++) perm2[rNU[t]!] = rNU[at[k]! + (t - gr.r0)]!;
  });
  return { shape, perm: perm2 };
}

/** Bits of a per-axis mask permuted by `inv`. */
function permutedMask(mask: number, inv: readonly number[]): number {
  return inv.reduce((m, a, j) => m | (((mask >> a) & 1) << j), 0);
}

/**
 * Rewrites the arguments of `n` (its attrs in place, its inputs in `inputs`) for reading x, the
 * untransposed input, instead of transpose(x, perm). Returns, per output, the TRANSPOSE that
 * restores it (`after`) and the shape it has before that; or a reason the op cannot follow
 * (the caller then puts `n.attrs` back).
 */
export function rewriteArgs(g: Graph, index: GraphIndex, n: Node, perm: number[], x: Tensor, inputs: string[]): Array<{ after: number[]; shape: number[] }> | string {
  const inv = inversePerm(perm);
  const rank = perm.length;
  const norm = (a: number) => (a < 0 ? a + rank : a);
  const same = () => n.outputs.map((o) => ({ after: perm, shape: permuteShape(g.tensor(o).shape, inv) }));
  const y = g.tensor(n.outputs[0]!);
  if (n.op === 'RESHAPE') {
    const r = reshapeBeforeTranspose(x.shape, perm, y.shape);
    if (!r) return `RESHAPE [${x.shape}]→[${perm.map((p) => x.shape[p])}]→[${y.shape}] mixes axes the TRANSPOSE reorders`;
    inputs[1] = intsConst(g, index, `${n.name}_shape`, r.shape);
    n.attrs = { ...n.attrs, newShape: [...r.shape] };
    return [{ after: r.perm, shape: r.shape }];
  }
  if (PADS.has(n.op)) {
    const pads = constInts(g, n.inputs[1]);
    if (!pads || pads.length !== rank * 2) return 'paddings are not a constant [rank, 2]';
    inputs[1] = intsConst(g, index, `${n.name}_paddings`, inv.map((a) => [pads[2 * a]!, pads[2 * a + 1]!]).flat(), [rank, 2]);
    return same();
  }
  const args = PER_AXIS_ARGS[n.op];
  if (args) {
    const a = n.attrs;
    if (a.ellipsisMask || a.newAxisMask || a.shrinkAxisMask) return 'STRIDED_SLICE uses ellipsis / new-axis / shrink masks';
    for (const i of args) {
      const v = constInts(g, n.inputs[i]);
      if (!v || v.length !== rank) return `input ${i} is not a constant of length ${rank}`;
      inputs[i] = intsConst(g, index, `${n.name}_arg${i}`, permuteShape(v, inv));
    }
    if (n.op === 'STRIDED_SLICE') n.attrs = { ...a, beginMask: permutedMask(a.beginMask ?? 0, inv), endMask: permutedMask(a.endMask ?? 0, inv) };
    return same();
  }
  if (n.op === 'CONCATENATION') {
    n.attrs = { ...n.attrs, axis: perm[norm(n.attrs.axis ?? 0)]! };
    return same();
  }
  if (n.op === 'SPLIT' || n.op === 'SPLIT_V') {
    const at = n.op === 'SPLIT' ? 0 : 2;
    const axis = constInts(g, n.inputs[at]);
    if (!axis || axis.length !== 1) return 'the split axis is not a constant';
    inputs[at] = intsConst(g, index, `${n.name}_axis`, [perm[norm(axis[0]!)]!], []);
    return same();
  }
  if (REDUCERS.has(n.op)) {
    const axes = constInts(g, n.inputs[1]);
    if (!axes) return 'the reduced axes are not a constant';
    const reduced = new Set(axes.map((a) => perm[norm(a)]!));
    inputs[1] = intsConst(g, index, `${n.name}_axes`, [...reduced].sort((a, b) => a - b), [reduced.size]);
    if (n.attrs.keepDims) return same();
    // kept axes: output axis k is transposed axis i_k = x axis perm[i_k]; x keeps its axes in its own order
    const keptX = x.shape.map((_, a) => a).filter((a) => !reduced.has(a));
    const after = perm.filter((a) => !reduced.has(a)).map((a) => keptX.indexOf(a));
    return [{ after, shape: keptX.map((a) => x.shape[a]!) }];
  }
  return same();
}
