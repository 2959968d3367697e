/**
 * sink-transposes: moves each TRANSPOSE down through the layout-agnostic op it feeds, so that
 * TRANSPOSEs meet their inverses and cancel (cancel-transposes does the cancelling, this pass
 * calls it after every sweep). `op(T_P(x), …)` becomes `T_P(op(x, …))` when:
 * - the op is elementwise (unary, or binary / select whose other runtime operands are transposed
 *   by the same P; constant operands are permuted by P⁻¹ once, right-aligned as broadcasting does);
 * - CONCATENATION, SPLIT, SPLIT_V (axis remapped to P[axis]); PAD / PADV2 / MIRROR_PAD, SLICE,
 *   STRIDED_SLICE, TILE (per-axis arguments and masks permuted); MEAN / SUM / REDUCE_* (axes
 *   remapped; without keep_dims the restoring TRANSPOSE is over the kept axes); SOFTMAX when P
 *   keeps the last axis;
 * - RESHAPE whose groups of merged / split / unit axes stay contiguous and in order through P: it
 *   becomes RESHAPE(x) then the TRANSPOSE of the groups (nothing at all when that is the identity),
 *   e.g. NHWC→NCHW then [N,C,H·W] is RESHAPE [N,H·W,C] then TRANSPOSE [0,2,1]. A reshape that
 *   really interleaves axes (Flatten of NCHW channels into features) keeps its TRANSPOSE: the
 *   element order demands it.
 * A sink first happens only where it adds no TRANSPOSE (a transposed input has no other reader);
 * then a TRANSPOSE read by several such ops is moved into all of them, kept only if that leaves
 * fewer TRANSPOSEs in the graph. A TRANSPOSE below a RESHAPE that the one above cannot cross is
 * hoisted over it instead, so the two merge (the channel-shuffle view/transpose/view). Last, each
 * TRANSPOSE left is done at the lowest rank of its runs of moving axes: rank-5 ones become
 * RESHAPE + rank ≤ 4 TRANSPOSE + RESHAPE (the GPU delegate's limit), ones moving only size-1 axes
 * a RESHAPE.
 */

import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import type { Layout, Tensor } from '../../ir/tensor.js';
import { opsWhere } from '../../ir/op-traits.js';
import type { BuiltinOpName } from '../../tflite/schema/enums.js';
import { cancelTransposes } from './cancel-transposes.js';
import { constInts, constTensor } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';
import { isReshapeOnly, permuteData } from '../../ir/ndarray.js';

const UNARY = opsWhere((t) => t.valueWise === 'unary');
const BINARY = opsWhere((t) => t.valueWise === 'binary' || t.valueWise === 'select');
const PADS = new Set<BuiltinOpName>(['PAD', 'PADV2', 'MIRROR_PAD']);
const REDUCERS = new Set<BuiltinOpName>(['MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_PROD']);
/** Ops whose per-axis constant argument (input 1, …) is permuted along with the data. */
const PER_AXIS_ARGS: Partial<Record<BuiltinOpName, number[]>> = { SLICE: [1, 2], STRIDED_SLICE: [1, 2, 3], TILE: [1] };

export function inversePerm(p: readonly number[]): number[] {
  const inv = new Array<number>(p.length);
  p.forEach((a, i) => (inv[a] = i));
  return inv;
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

/** Producer / reader index of the graph, kept up to date by the sinks of one sweep (whole-graph scans per query would make a long chain quadratic). */
class Links {
  private readonly producers = new Map<string, Node>();
  private readonly readers = new Map<string, Node[]>();
  private readonly live = new Set<Node>();
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(private readonly g: Graph) {
    for (const n of g.nodes) this.add(n);
  }
  /** A tensor / node name not taken yet (Graph.uniqueName scans every node per call). */
  fresh(base: string): string {
    let name = base;
    while (this.g.tensors.has(name) || this.names.has(name)) name = `${base}_${++this.counter}`;
    this.names.add(name);
    return name;
  }
  has(n: Node): boolean {
    return this.live.has(n);
  }
  producer(name: string): Node | undefined {
    return this.producers.get(name);
  }
  consumers(name: string): Node[] {
    return this.readers.get(name) ?? [];
  }
  add(n: Node): void {
    this.live.add(n);
    this.names.add(n.name);
    for (const o of n.outputs) this.producers.set(o, n);
    for (const i of new Set(n.inputs)) if (i) this.readers.set(i, [...this.consumers(i), n]);
  }
  remove(n: Node): void {
    this.live.delete(n);
    for (const o of n.outputs) if (this.producers.get(o) === n) this.producers.delete(o);
    for (const i of new Set(n.inputs)) if (i) this.readers.set(i, this.consumers(i).filter((c) => c !== n));
  }
}

function isPerAxis(t: Tensor): boolean {
  return !!t.quant && t.quant.scale.length > 1;
}

function layoutFor(rank: number, like: Tensor): Layout {
  return rank === 4 && like.shape.length === 4 ? like.layout : 'plain';
}

/** The data inputs of `n` (the ones that carry the activation, not shapes / paddings / axes). */
function dataInputs(n: Node): number[] {
  if (n.op === 'CONCATENATION' || BINARY.has(n.op)) return n.inputs.map((_, i) => i);
  if (n.op === 'SPLIT') return [1];
  return [0];
}

interface Candidate {
  perm: number[];
  /** TRANSPOSE nodes feeding the data inputs. */
  transposes: Node[];
}

/** Ops a TRANSPOSE can move through (their own arguments permuted to match). */
function isAgnostic(n: Node): boolean {
  return (
    UNARY.has(n.op) || BINARY.has(n.op) || PADS.has(n.op) || REDUCERS.has(n.op) || n.op in PER_AXIS_ARGS ||
    ['CONCATENATION', 'SOFTMAX', 'RESHAPE', 'SPLIT', 'SPLIT_V'].includes(n.op)
  );
}

/**
 * Whether sinking through `n` may use TRANSPOSE `t`: `t` has no other reader, or (`shared`) every
 * reader of `t` is an op it could sink through too (so it moves into all of them).
 */
function mayTake(g: Graph, links: Links, t: Node, n: Node, shared: boolean): boolean {
  const out = t.outputs[0]!;
  if (g.outputs.includes(out)) return false;
  return links.consumers(out).every((c) => c === n || (shared && isAgnostic(c)));
}

/** The common perm of the transposed runtime data inputs of `n`, or a reason it does not sink (undefined: nothing to do). */
function candidate(g: Graph, links: Links, n: Node, shared: boolean): Candidate | string | undefined {
  if (!isAgnostic(n) || (n.outputs.length !== 1 && n.op !== 'SPLIT' && n.op !== 'SPLIT_V')) return undefined;
  const out = g.tensor(n.outputs[0]!);
  let perm: number[] | undefined;
  const transposes: Node[] = [];
  let other: string | undefined;
  for (const i of dataInputs(n)) {
    const name = n.inputs[i];
    if (!name || constTensor(g, name)) continue;
    const p = links.producer(name);
    const pp = p?.op === 'TRANSPOSE' ? constInts(g, p.inputs[1]) : undefined;
    if (!p || !pp) {
      other = name;
      continue;
    }
    if (perm && perm.join() !== pp.join()) return `inputs are transposed by different perms [${perm}] and [${pp}]`;
    perm = pp;
    if (!transposes.includes(p)) transposes.push(p);
  }
  if (!perm) return undefined;
  if (other) return `runtime operand '${other}' is not transposed`;
  if (n.op !== 'RESHAPE' && !REDUCERS.has(n.op) && transposes.some((t) => g.tensor(t.outputs[0]!).shape.length !== out.shape.length)) {
    return `a transposed operand has a lower rank than the output [${out.shape}]`;
  }
  if (n.outputs.some((o) => isPerAxis(g.tensor(o))) || transposes.some((t) => isPerAxis(g.tensor(t.inputs[0]!)))) return 'per-axis quantized tensor';
  if (n.op === 'SOFTMAX' && perm[perm.length - 1] !== perm.length - 1) return 'the perm moves the softmax axis';
  if (!transposes.some((t) => mayTake(g, links, t, n, shared))) return `every TRANSPOSE feeding it has other readers`;
  // first sweep: never more TRANSPOSEs (a SPLIT puts one on each output)
  if (!shared && n.outputs.length > transposes.filter((t) => mayTake(g, links, t, n, false)).length) return `it would put a TRANSPOSE on each of its ${n.outputs.length} outputs`;
  return { perm, transposes };
}

/**
 * A constant operand rewritten for the untransposed side: right-aligned to the output rank and
 * permuted by P⁻¹ (kept at full rank: the GPU delegate's broadcast check passes equal ranks).
 * One-element constants broadcast anywhere and stay as they are.
 */
function permutedOperand(g: Graph, links: Links, name: string, inv: readonly number[]): string {
  const c = g.tensor(name);
  const rank = inv.length;
  if (c.shape.length > rank || c.shape.reduce((a, b) => a * b, 1) === 1) return name;
  const padded = [...new Array<number>(rank - c.shape.length).fill(1), ...c.shape];
  const shape = inv.map((a) => padded[a]!);
  const t = links.fresh(`${name}_perm`);
  g.addTensor({ name: t, dtype: c.dtype, shape, layout: layoutFor(shape.length, c), data: permuteData(c.dtype, c.data!, padded, inv), quant: c.quant });
  return t;
}

function intsConst(g: Graph, links: Links, base: string, values: readonly number[], shape: number[] = [values.length]): string {
  const t = links.fresh(base);
  g.addTensor({ name: t, dtype: 'int32', shape, layout: 'plain', data: Int32Array.from(values) });
  return t;
}

/** `v` permuted by `inv` (per-axis arguments: begin, size, multiples, paddings rows). */
function permuted<T>(v: readonly T[], inv: readonly number[]): T[] {
  return inv.map((a) => v[a]!);
}

/** Bits of a per-axis mask permuted by `inv`. */
function permutedMask(mask: number, inv: readonly number[]): number {
  return inv.reduce((m, a, j) => m | (((mask >> a) & 1) << j), 0);
}

/**
 * Rewrites the op's own arguments for the untransposed input. Returns, per output, the TRANSPOSE
 * that restores it (`after`) and the shape it has before that; or a reason the op cannot follow.
 */
function rewriteArgs(g: Graph, links: Links, n: Node, perm: number[], x: Tensor, inputs: string[]): Array<{ after: number[]; shape: number[] }> | string {
  const inv = inversePerm(perm);
  const rank = perm.length;
  const norm = (a: number) => (a < 0 ? a + rank : a);
  const same = () => n.outputs.map((o) => ({ after: perm, shape: permuted(g.tensor(o).shape, inv) }));
  const y = g.tensor(n.outputs[0]!);
  if (n.op === 'RESHAPE') {
    const r = reshapeBeforeTranspose(x.shape, perm, y.shape);
    if (!r) return `RESHAPE [${x.shape}]→[${perm.map((p) => x.shape[p])}]→[${y.shape}] mixes axes the TRANSPOSE reorders`;
    inputs[1] = intsConst(g, links, `${n.name}_shape`, r.shape);
    n.attrs = { ...n.attrs, newShape: [...r.shape] };
    return [{ after: r.perm, shape: r.shape }];
  }
  if (PADS.has(n.op)) {
    const pads = constInts(g, n.inputs[1]);
    if (!pads || pads.length !== rank * 2) return 'paddings are not a constant [rank, 2]';
    inputs[1] = intsConst(g, links, `${n.name}_paddings`, inv.map((a) => [pads[2 * a]!, pads[2 * a + 1]!]).flat(), [rank, 2]);
    return same();
  }
  const args = PER_AXIS_ARGS[n.op];
  if (args) {
    const a = n.attrs;
    if (a.ellipsisMask || a.newAxisMask || a.shrinkAxisMask) return 'STRIDED_SLICE uses ellipsis / new-axis / shrink masks';
    for (const i of args) {
      const v = constInts(g, n.inputs[i]);
      if (!v || v.length !== rank) return `input ${i} is not a constant of length ${rank}`;
      inputs[i] = intsConst(g, links, `${n.name}_arg${i}`, permuted(v, inv));
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
    inputs[at] = intsConst(g, links, `${n.name}_axis`, [perm[norm(axis[0]!)]!], []);
    return same();
  }
  if (REDUCERS.has(n.op)) {
    const axes = constInts(g, n.inputs[1]);
    if (!axes) return 'the reduced axes are not a constant';
    const reduced = new Set(axes.map((a) => perm[norm(a)]!));
    inputs[1] = intsConst(g, links, `${n.name}_axes`, [...reduced].sort((a, b) => a - b), [reduced.size]);
    if (n.attrs.keepDims) return same();
    // kept axes: output axis k is transposed axis i_k = x axis perm[i_k]; x keeps its axes in its own order
    const keptX = x.shape.map((_, a) => a).filter((a) => !reduced.has(a));
    const after = perm.filter((a) => !reduced.has(a)).map((a) => keptX.indexOf(a));
    return [{ after, shape: keptX.map((a) => x.shape[a]!) }];
  }
  return same();
}

/** Rewrites `op(T_P(x)…)` into `T_P(op(x…))`; returns a reason when the op's own arguments cannot follow. */
function sink(g: Graph, links: Links, n: Node, { perm, transposes }: Candidate): string | undefined {
  const inv = inversePerm(perm);
  const x0 = g.tensor(transposes[0]!.inputs[0]!);
  const inputs = [...n.inputs];
  const attrs = n.attrs;
  const outs = rewriteArgs(g, links, n, perm, x0, inputs);
  if (typeof outs === 'string') {
    n.attrs = attrs;
    return outs;
  }
  for (const i of dataInputs(n)) {
    const name = inputs[i];
    if (!name) continue;
    const p = links.producer(name);
    if (p && transposes.includes(p)) inputs[i] = p.inputs[0]!;
    else if (constTensor(g, name)) inputs[i] = permutedOperand(g, links, name, inv);
  }
  links.remove(n);
  n.inputs = inputs;
  n.outputs = n.outputs.map((o, k) => {
    const y = g.tensor(o);
    const { after, shape } = outs[k]!;
    if (after.every((a, i) => a === i)) {
      y.layout = layoutFor(y.shape.length, x0);
      return o;
    }
    const pre = links.fresh(`${o}_pre_transpose`);
    g.addTensor({ name: pre, dtype: y.dtype, shape, layout: layoutFor(shape.length, x0), quant: y.quant });
    links.add(g.addNode({ name: links.fresh(`${n.name}_transpose`), op: 'TRANSPOSE', inputs: [pre, intsConst(g, links, `${n.name}_perm`, after)], outputs: [o], attrs: {}, sourceNode: n.sourceNode }));
    return pre;
  });
  links.add(n);
  for (const t of transposes) {
    if (g.outputs.includes(t.outputs[0]!) || links.consumers(t.outputs[0]!).length) continue;
    links.remove(t);
    g.removeNode(t);
  }
  return undefined;
}

/** Sinks until nothing moves; returns how many sinks and cancellations happened and the last decline per node. */
/**
 * TRANSPOSE(RESHAPE(TRANSPOSE(w))) where the lower TRANSPOSE cannot sink through the RESHAPE: it is
 * hoisted above it instead (`RESHAPE(TRANSPOSE'(z))`) so the two TRANSPOSEs merge into one. Returns
 * how many were hoisted.
 */
function hoistThroughReshapes(g: Graph, links: Links): number {
  let hoisted = 0;
  for (const t2 of [...g.nodes]) {
    if (t2.op !== 'TRANSPOSE' || !links.has(t2)) continue;
    const r = links.producer(t2.inputs[0]!);
    if (r?.op !== 'RESHAPE' || g.outputs.includes(r.outputs[0]!) || links.consumers(r.outputs[0]!).length !== 1) continue;
    const z = r.inputs[0]!;
    const t1 = links.producer(z);
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
    const mid = links.fresh(`${y.name}_hoisted`);
    g.addTensor({ name: mid, dtype: zt.dtype, shape: res.shape, layout: layoutFor(res.shape.length, y), quant: y.quant });
    links.remove(t2);
    links.remove(r);
    g.removeNode(t2);
    g.removeNode(r);
    links.add(g.addNode({ name: links.fresh(`${t2.name}_hoisted`), op: 'TRANSPOSE', inputs: [z, intsConst(g, links, `${t2.name}_perm`, back)], outputs: [mid], attrs: {}, sourceNode: t2.sourceNode }));
    links.add(g.addNode({ ...r, inputs: [mid, intsConst(g, links, `${r.name}_shape`, y.shape)], outputs: [y.name], attrs: { ...r.attrs, newShape: [...y.shape] } }));
    hoisted++;
  }
  return hoisted;
}

/** Single-input ops a TRANSPOSE below them can be hoisted over (their per-axis arguments permuted). */
function isHoistable(n: Node): boolean {
  return UNARY.has(n.op) || PADS.has(n.op) || n.op in PER_AXIS_ARGS || n.op === 'SOFTMAX';
}

/**
 * TRANSPOSE(op(x)) → op'(x') when that makes the TRANSPOSE free: x' is x with only size-1 axes
 * moved (a RESHAPE), or the input of a TRANSPOSE producing x that this one undoes. Catches what
 * sinking cannot: e.g. a TILE of an [N,C] vector expanded to a 4-D NCHW graph output.
 */
function hoistOverOps(g: Graph, links: Links): number {
  let hoisted = 0;
  for (const t of [...g.nodes]) {
    if (t.op !== 'TRANSPOSE' || !links.has(t)) continue;
    const y0 = t.inputs[0]!;
    const n = links.producer(y0);
    const q = constInts(g, t.inputs[1]);
    if (!n || !q || !isHoistable(n) || n.outputs.length !== 1 || g.outputs.includes(y0) || links.consumers(y0).length !== 1) continue;
    if (n.op === 'SOFTMAX' && q[q.length - 1] !== q.length - 1) continue;
    const x = g.tensor(n.inputs[0]!);
    const y = g.tensor(t.outputs[0]!);
    if (x.data || isPerAxis(x) || isPerAxis(y) || x.shape.length !== q.length) continue;
    const up = links.producer(x.name);
    const p1 = up?.op === 'TRANSPOSE' ? constInts(g, up.inputs[1]) : undefined;
    const undoes = !!p1 && q.every((a, i) => p1[a] === i);
    if (!undoes && !isReshapeOnly(x.shape, q)) continue;
    const inputs = [...n.inputs];
    const attrs = n.attrs;
    const outs = rewriteArgs(g, links, n, inversePerm(q), x, inputs);
    if (typeof outs === 'string') {
      n.attrs = attrs;
      continue;
    }
    let src = undoes ? up!.inputs[0]! : '';
    if (!undoes) {
      src = links.fresh(`${x.name}_moved`);
      const shape = q.map((a) => x.shape[a]!);
      g.addTensor({ name: src, dtype: x.dtype, shape, layout: layoutFor(shape.length, y), quant: x.quant });
      links.add(g.addNode({ name: links.fresh(`${t.name}_as_reshape`), op: 'RESHAPE', inputs: [x.name, intsConst(g, links, `${t.name}_shape`, shape)], outputs: [src], attrs: { newShape: shape }, sourceNode: t.sourceNode }));
    }
    links.remove(t);
    g.removeNode(t);
    links.remove(n);
    n.inputs = [src, ...inputs.slice(1)];
    n.outputs = [y.name];
    links.add(n);
    if (undoes && !g.outputs.includes(x.name) && !links.consumers(x.name).length) {
      links.remove(up!);
      g.removeNode(up!);
    }
    hoisted++;
  }
  return hoisted;
}

/**
 * A TRANSPOSE whose axes move in runs (or only size-1 axes move) is done at the lowest rank: RESHAPE,
 * TRANSPOSE of the runs, RESHAPE — or one RESHAPE when the runs stay in order. Applied to rank > 4
 * TRANSPOSEs (the GPU delegate takes rank ≤ 4) and to those that reduce to a RESHAPE.
 */
function reduceRank(g: Graph, links: Links, t: Node): boolean {
  const perm = constInts(g, t.inputs[1]);
  const x = g.tensor(t.inputs[0]!);
  const y = g.tensor(t.outputs[0]!);
  if (!perm || isPerAxis(x) || isPerAxis(y)) return false;
  const nu = x.shape.flatMap((d, a) => (d === 1 ? [] : [a]));
  const seq = perm.filter((a) => x.shape[a] !== 1).map((a) => nu.indexOf(a));
  const runs: number[][] = [];
  for (const a of seq) {
    const last = runs[runs.length - 1];
    if (last && last[last.length - 1]! + 1 === a) last.push(a);
    else runs.push([a]);
  }
  const order = runs.map((_, i) => i).sort((i, j) => runs[i]![0]! - runs[j]![0]!);
  const redPerm = runs.map((_, i) => order.indexOf(i));
  const identity = redPerm.every((p, i) => p === i);
  if (!identity && (perm.length <= 4 || runs.length > 4 || runs.length < 2)) return false;
  const dims = (run: number[]) => run.reduce((p, a) => p * x.shape[nu[a]!]!, 1);
  links.remove(t);
  g.removeNode(t);
  // a RESHAPE feeding only this TRANSPOSE folds into the new one (no rank-5 tensor left between them)
  let src = x.name;
  const before = links.producer(src);
  if (before?.op === 'RESHAPE' && !g.outputs.includes(src) && !links.consumers(src).length) {
    links.remove(before);
    g.removeNode(before);
    src = before.inputs[0]!;
  }
  // likewise a RESHAPE that is the only reader of the result
  let dst = y;
  const readers = links.consumers(y.name);
  if (readers.length === 1 && readers[0]!.op === 'RESHAPE' && !g.outputs.includes(y.name)) {
    dst = g.tensor(readers[0]!.outputs[0]!);
    links.remove(readers[0]!);
    g.removeNode(readers[0]!);
  }
  const reshape = (input: string, shape: number[], output: string, base: string) =>
    links.add(g.addNode({ name: links.fresh(base), op: 'RESHAPE', inputs: [input, intsConst(g, links, `${base}_shape`, shape)], outputs: [output], attrs: { newShape: [...shape] }, sourceNode: t.sourceNode }));
  if (identity) {
    reshape(src, dst.shape, dst.name, `${t.name}_as_reshape`);
    return true;
  }
  const redIn = order.map((i) => dims(runs[i]!));
  const redOut = runs.map(dims);
  const a = links.fresh(`${t.name}_in_${redIn.length}d`);
  const b = links.fresh(`${t.name}_out_${redOut.length}d`);
  g.addTensor({ name: a, dtype: x.dtype, shape: redIn, layout: 'plain', quant: x.quant });
  g.addTensor({ name: b, dtype: y.dtype, shape: redOut, layout: 'plain', quant: y.quant });
  reshape(src, redIn, a, `${t.name}_to_${redIn.length}d`);
  links.add(g.addNode({ name: links.fresh(`${t.name}_${redIn.length}d`), op: 'TRANSPOSE', inputs: [a, intsConst(g, links, `${t.name}_perm`, redPerm)], outputs: [b], attrs: {}, sourceNode: t.sourceNode }));
  reshape(b, dst.shape, dst.name, `${t.name}_from_${redOut.length}d`);
  return true;
}

function sweep(g: Graph, shared: boolean): { sunk: number; cancelled: number; declined: Map<string, string> } {
  let sunk = 0;
  let cancelled = 0;
  const declined = new Map<string, string>();
  for (let round = 0; round < 1000; round++) {
    let moved = 0;
    const links = new Links(g);
    for (const n of [...g.nodes]) {
      if (!links.has(n)) continue;
      const c = candidate(g, links, n, shared);
      if (c === undefined) continue;
      const why = typeof c === 'string' ? c : sink(g, links, n, c);
      if (why) {
        declined.set(n.name, why);
        continue;
      }
      declined.delete(n.name);
      moved++;
    }
    const hoisted = hoistThroughReshapes(g, links) + hoistOverOps(g, links);
    moved += hoisted;
    if (moved) g.topoSort();
    const r = cancelTransposes.run(g);
    cancelled += r.stats?.cancelled ?? 0;
    sunk += moved;
    if (!moved && r.status !== 'applied') break;
  }
  return { sunk, cancelled, declined };
}

function countTransposes(g: Graph): number {
  return g.nodes.filter((n) => n.op === 'TRANSPOSE').length;
}

export const sinkTransposes: PassSpec = {
  id: 'sink-transposes',
  phase: 'layout',
  summary: 'move TRANSPOSEs through layout-agnostic ops and RESHAPEs until they cancel; lower the rank of those left',
  run(g: Graph): PassResult {
    let { sunk, cancelled, declined } = sweep(g, false);
    // A TRANSPOSE read by several agnostic ops moves into each of them; kept only when that leaves fewer TRANSPOSEs.
    const before = countTransposes(g);
    if (before) {
      const saved = g.clone();
      const wide = sweep(g, true);
      if (countTransposes(g) < before) {
        sunk += wide.sunk;
        cancelled += wide.cancelled;
        declined = wide.declined;
      } else g.restore(saved);
    }
    const links = new Links(g);
    const reduced = g.nodes.filter((n) => n.op === 'TRANSPOSE').filter((t) => reduceRank(g, links, t)).length;
    if (reduced) g.topoSort();
    if (sunk || reduced || declined.size) g.pruneTensors();
    const declines = [...declined].filter(([name]) => g.nodes.some((n) => n.name === name)).map(([name, why]) => `'${name}': ${why}`);
    return summarize('transposes sunk, hoisted or lowered in rank', sunk + reduced, declines, { sunk, cancelled, reduced, transposesLeft: countTransposes(g) });
  },
};
