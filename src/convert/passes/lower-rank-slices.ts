/**
 * lower-rank-slices: SPLIT / SPLIT_V / SLICE / STRIDED_SLICE / CONCATENATION, and GATHER of a
 * constant run of consecutive indices (a SLICE), on tensors of rank > 4 (which the GPU delegate
 * rejects) run on a 4-D view of the same elements between RESHAPEs: every axis the op cuts keeps
 * an axis of its own, size-1 axes are dropped and leading uncut axes merged until 4 remain; a cut
 * axis never lands on the view's batch axis. merge-reshapes then joins the new RESHAPEs with those
 * around (timm's qkv `unbind` of [3,B,H,N,D]).
 */
import type { Graph } from '../../ir/graph.js';
import type { Attrs, Node } from '../../ir/node.js';
import { constInts, constTensor } from './graph-util.js';
import { insertReshape, restoreAfter } from '../gpu/rewrite-util.js';
import { isPerAxis } from './shared/transpose-rewrite.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

const MAX_RANK = 4;

/**
 * Groups the axes of a rank-r shape into at most 4 view axes: each cut axis alone, the uncut ones
 * between them merged (leading ones first); size-1 uncut axes belong to no group. The view is
 * padded with leading size-1 axes (empty groups) to rank 4. Undefined when more than 3 axes are cut.
 */
export function sliceView(shape: readonly number[], cut: ReadonlySet<number>): number[][] | undefined {
  const segs = shape.flatMap((d, a) => (d !== 1 || cut.has(a) ? [{ axes: [a], cut: cut.has(a) }] : []));
  // the view's axis 0 is the delegate's batch axis: a cut axis goes to 1 or later
  const room = () => (segs[0]?.cut ? MAX_RANK - 1 : MAX_RANK);
  while (segs.length > room()) {
    const i = segs.findIndex((s, k) => !s.cut && segs[k + 1] && !segs[k + 1]!.cut);
    if (i < 0) return undefined;
    segs.splice(i, 2, { axes: [...segs[i]!.axes, ...segs[i + 1]!.axes], cut: false });
  }
  const groups = segs.map((s) => s.axes);
  while (groups.length < MAX_RANK) groups.unshift([]);
  return groups;
}

/** `shape` seen through `groups`. */
export function viewShape(shape: readonly number[], groups: readonly number[][]): number[] {
  return groups.map((axes) => axes.reduce((p, a) => p * shape[a]!, 1));
}

/** Per-axis values of a cut op moved to the view: a cut axis keeps its own, the rest take `uncut(group)`. */
function perView(groups: readonly number[][], cut: ReadonlySet<number>, values: readonly number[], uncut: (axes: number[]) => number): number[] {
  return groups.map((axes) => (axes.length === 1 && cut.has(axes[0]!) ? values[axes[0]!]! : uncut(axes)));
}

/** Bit i of the view mask: bit `axis` of `mask` for the cut axis of group i. */
function maskView(groups: readonly number[][], cut: ReadonlySet<number>, mask: number): number {
  return groups.reduce((m, axes, i) => (axes.length === 1 && cut.has(axes[0]!) ? m | (((mask >> axes[0]!) & 1) << i) : m), 0);
}

interface Plan {
  /** The data inputs (positions in node.inputs) viewed at rank 4. */
  data: number[];
  /** Axes of the (data) input the op cuts. */
  cut: Set<number>;
  /** The full-rank shape the op's output has before its restore RESHAPE (GATHER of a scalar index keeps its axis). */
  outShapes: number[][];
  /** Rewrites the node for the view; may replace inputs. */
  apply(n: Node, groups: number[][]): void;
}

const norm = (a: number, r: number) => (a < 0 ? a + r : a);
/** The axes a slice changes: its output size differs there (or `also` says so). */
const changedAxes = (xs: readonly number[], out: readonly number[], also: (a: number) => boolean = () => false) =>
  new Set(xs.flatMap((d, a) => (out[a] !== d || also(a) ? [a] : [])));
/** The view axis that holds source axis `a` on its own. */
const viewAxisOf = (groups: readonly number[][], a: number) => groups.findIndex((gr) => gr.length === 1 && gr[0] === a);

/** A GATHER of constant consecutive indices (a scalar or a list) along `axis`: a slice of `count` from `first`; or why not. */
export function consecutiveGather(g: Graph, n: Node): { axis: number; first: number; count: number } | string {
  if (n.attrs.batchDims) return 'GATHER has batch dims';
  const xs = g.tensor(n.inputs[0]!).shape;
  const axis = norm(n.attrs.axis ?? 0, xs.length);
  const idx = constInts(g, n.inputs[1]);
  const it = constTensor(g, n.inputs[1]);
  if (!idx || !it || it.shape.length > 1 || !idx.length) return 'the indices are not a constant scalar or list';
  const first = norm(idx[0]!, xs[axis]!);
  if (idx.some((i, k) => norm(i, xs[axis]!) !== first + k)) return `the indices [${idx}] are not consecutive`;
  return { axis, first, count: idx.length };
}

/** How `n` is lowered, or why it cannot be. */
function plan(g: Graph, n: Node): Plan | string {
  const int32 = (base: string, values: number[], shape: number[] = [values.length]) => {
    const name = g.uniqueName(base);
    g.addTensor({ name, dtype: 'int32', shape, layout: 'plain', data: Int32Array.from(values) });
    return name;
  };
  const outShapes = n.outputs.map((o) => g.tensor(o).shape);
  switch (n.op) {
    case 'SPLIT':
    case 'SPLIT_V': {
      const at = n.op === 'SPLIT' ? 0 : 2;
      const x = n.op === 'SPLIT' ? 1 : 0;
      const axis = constInts(g, n.inputs[at]);
      if (!axis || axis.length !== 1) return 'the split axis is not a constant';
      const a = norm(axis[0]!, g.tensor(n.inputs[x]!).shape.length);
      return {
        data: [x],
        cut: new Set([a]),
        outShapes,
        apply(node, groups) {
          node.inputs[at] = int32(`${node.name}_axis`, [viewAxisOf(groups, a)], []);
        },
      };
    }
    case 'CONCATENATION': {
      const r = outShapes[0]!.length;
      const a = norm(n.attrs.axis ?? 0, r);
      return {
        data: n.inputs.map((_, i) => i),
        cut: new Set([a]),
        outShapes,
        apply(node, groups) {
          node.attrs = { ...node.attrs, axis: viewAxisOf(groups, a) };
        },
      };
    }
    case 'SLICE': {
      const xs = g.tensor(n.inputs[0]!).shape;
      const begin = constInts(g, n.inputs[1]);
      const size = constInts(g, n.inputs[2]);
      if (!begin || !size) return 'begin / size are not constants';
      const out = outShapes[0]!;
      const cut = changedAxes(xs, out);
      return {
        data: [0],
        cut,
        outShapes,
        apply(node, groups) {
          node.inputs[1] = int32(`${node.name}_begin`, perView(groups, cut, begin, () => 0));
          node.inputs[2] = int32(`${node.name}_size`, perView(groups, cut, size, (axes) => viewShape(xs, [axes])[0]!));
        },
      };
    }
    case 'STRIDED_SLICE': {
      const at = n.attrs;
      if (at.ellipsisMask || at.newAxisMask || at.shrinkAxisMask) return 'STRIDED_SLICE uses ellipsis / new-axis / shrink masks';
      const xs = g.tensor(n.inputs[0]!).shape;
      const [begin, end, strides] = [1, 2, 3].map((i) => constInts(g, n.inputs[i]));
      if (!begin || !end || !strides) return 'begin / end / strides are not constants';
      const out = outShapes[0]!;
      const cut = changedAxes(xs, out, (a) => strides[a] !== 1);
      return {
        data: [0],
        cut,
        outShapes,
        apply(node, groups) {
          node.inputs[1] = int32(`${node.name}_begin`, perView(groups, cut, begin, () => 0));
          node.inputs[2] = int32(`${node.name}_end`, perView(groups, cut, end, (axes) => viewShape(xs, [axes])[0]!));
          node.inputs[3] = int32(`${node.name}_strides`, perView(groups, cut, strides, () => 1));
          node.attrs = { ...at, beginMask: maskView(groups, cut, at.beginMask ?? 0), endMask: maskView(groups, cut, at.endMask ?? 0) } satisfies Attrs;
        },
      };
    }
    case 'GATHER': {
      const xs = g.tensor(n.inputs[0]!).shape;
      const run = consecutiveGather(g, n);
      if (typeof run === 'string') return run;
      const { axis: a, first, count } = run;
      const kept = xs.map((d, k) => (k === a ? count : d));
      const cut = new Set([a]);
      return {
        data: [0],
        cut,
        outShapes: [kept],
        apply(node, groups) {
          node.op = 'SLICE';
          node.inputs[1] = int32(`${node.name}_begin`, perView(groups, cut, kept.map((_, k) => (k === a ? first : 0)), () => 0));
          node.inputs[2] = int32(`${node.name}_size`, viewShape(kept, groups));
          node.attrs = {};
          node.version = undefined;
        },
      };
    }
    default:
      return `${n.op} is not a slicing op`;
  }
}

const LOWERED = new Set(['SPLIT', 'SPLIT_V', 'SLICE', 'STRIDED_SLICE', 'CONCATENATION', 'GATHER']);

/** Lowers `n`; returns why not, or undefined when done. */
function lower(g: Graph, n: Node): string | undefined {
  const p = plan(g, n);
  if (typeof p === 'string') return p;
  const xs = g.tensor(n.inputs[p.data[0]!]!).shape;
  const groups = sliceView(xs, p.cut);
  if (!groups) return `[${xs}] cut on ${p.cut.size} axes has no 4-D view`;
  const io = [...p.data.map((i) => n.inputs[i]!), ...n.outputs].map((t) => g.tensor(t));
  if (io.some(isPerAxis)) return 'a tensor is quantized per axis';
  if (p.data.some((i) => constTensor(g, n.inputs[i]))) return 'a data input is constant';
  for (const i of p.data) {
    const t = g.tensor(n.inputs[i]!);
    n.inputs[i] = insertReshape(g, t.name, viewShape(t.shape, groups), `${t.name}_4d`, n);
  }
  p.apply(n, groups);
  n.outputs = n.outputs.map((y, k) => restoreAfter(g, n, y, viewShape(p.outShapes[k]!, groups)));
  return undefined;
}

const highRank = (g: Graph, name: string | undefined) => !!name && (g.tensors.get(name)?.shape.length ?? 0) > MAX_RANK;

export const lowerRankSlices: PassSpec = {
  id: 'lower-rank-slices',
  phase: 'target',
  transactional: true,
  summary: 'SPLIT / SLICE / STRIDED_SLICE / CONCATENATION / GATHER of consecutive indices on rank > 4 tensors run on a 4-D view between RESHAPEs (the GPU delegate rejects rank > 4)',
  run(g: Graph): PassResult {
    let lowered = 0;
    const declines: string[] = [];
    for (const n of [...g.nodes]) {
      if (!LOWERED.has(n.op) || ![...n.inputs, ...n.outputs].some((t) => highRank(g, t))) continue;
      const why = lower(g, n);
      if (why) declines.push(`${n.op} '${n.name}': ${why}`);
      else lowered++;
    }
    if (lowered) g.pruneTensors();
    return summarize('slicing ops moved to 4-D', lowered, declines, { lowered });
  },
};
