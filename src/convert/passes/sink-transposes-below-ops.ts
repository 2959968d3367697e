/**
 * sink-transposes-below-ops: moves each TRANSPOSE down through the layout-agnostic op it feeds,
 * `op(T_P(x), …)` → `T_P(op(x, …))`, when:
 * - the op is elementwise (unary, or binary / select whose other runtime operands are transposed
 *   by the same P; constant operands are permuted by P⁻¹ once, right-aligned as broadcasting does);
 * - CONCATENATION, SPLIT, SPLIT_V (axis remapped to P[axis]); PAD / PADV2 / MIRROR_PAD, SLICE,
 *   STRIDED_SLICE, TILE (per-axis arguments and masks permuted); MEAN / SUM / REDUCE_* (axes
 *   remapped; without keep_dims the restoring TRANSPOSE is over the kept axes); SOFTMAX when P
 *   keeps the last axis;
 * - RESHAPE whose groups of merged / split / unit axes stay contiguous and in order through P: it
 *   becomes RESHAPE(x) then the TRANSPOSE of the groups (nothing at all when that is the identity).
 *   A reshape that really interleaves axes (Flatten of NCHW channels) keeps its TRANSPOSE.
 * Run alone it sinks only where that adds no TRANSPOSE (a transposed input has no other reader);
 * sink-transposes also runs it in the `shared` mode, where a TRANSPOSE read by several such ops
 * moves into all of them.
 */
import type { Graph } from '../../ir/graph.js';
import { GraphIndex } from '../../ir/graph-index.js';
import type { Node } from '../../ir/node.js';
import { inversePerm, isIdentityPerm, permuteData } from '../../ir/ndarray.js';
import { constInts, constTensor } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';
import { BINARY, PADS, PER_AXIS_ARGS, REDUCERS, UNARY, countTransposes, intsConst, isPerAxis, layoutFor, rewriteArgs } from './shared/transpose-rewrite.js';

/** The data inputs of `n` (the ones that carry the activation, not shapes / paddings / axes). */
function dataInputs(n: Node): number[] {
  if (n.op === 'CONCATENATION' || BINARY.has(n.op)) return n.inputs.map((_, i) => i);
  if (n.op === 'SPLIT') return [1];
  return [0];
}

export interface Candidate {
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
function mayTake(g: Graph, index: GraphIndex, t: Node, n: Node, shared: boolean): boolean {
  const out = t.outputs[0]!;
  if (g.outputs.includes(out)) return false;
  return index.consumers(out).every((c) => c === n || (shared && isAgnostic(c)));
}

/** The common perm of the transposed runtime data inputs of `n`, or a reason it does not sink (undefined: nothing to do). */
function candidate(g: Graph, index: GraphIndex, n: Node, shared: boolean): Candidate | string | undefined {
  if (!isAgnostic(n) || (n.outputs.length !== 1 && n.op !== 'SPLIT' && n.op !== 'SPLIT_V')) return undefined;
  const out = g.tensor(n.outputs[0]!);
  let perm: number[] | undefined;
  const transposes: Node[] = [];
  let other: string | undefined;
  for (const i of dataInputs(n)) {
    const name = n.inputs[i];
    if (!name || constTensor(g, name)) continue;
    const p = index.producer(name);
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
  if (!transposes.some((t) => mayTake(g, index, t, n, shared))) return `every TRANSPOSE feeding it has other readers`;
  // unshared: never more TRANSPOSEs (a SPLIT puts one on each output)
  if (!shared && n.outputs.length > transposes.filter((t) => mayTake(g, index, t, n, false)).length) return `it would put a TRANSPOSE on each of its ${n.outputs.length} outputs`;
  return { perm, transposes };
}

/**
 * A constant operand rewritten for the untransposed side: right-aligned to the output rank and
 * permuted by P⁻¹ (kept at full rank: the GPU delegate's broadcast check passes equal ranks).
 * One-element constants broadcast anywhere and stay as they are.
 */
function permutedOperand(g: Graph, index: GraphIndex, name: string, inv: readonly number[]): string {
  const c = g.tensor(name);
  const rank = inv.length;
  if (c.shape.length > rank || c.shape.reduce((a, b) => a * b, 1) === 1) return name;
  const padded = [...new Array<number>(rank - c.shape.length).fill(1), ...c.shape];
  const shape = inv.map((a) => padded[a]!);
  const t = index.fresh(`${name}_perm`);
  g.addTensor({ name: t, dtype: c.dtype, shape, layout: layoutFor(shape.length, c), data: permuteData(c.dtype, c.data!, padded, inv), quant: c.quant });
  return t;
}

/** Rewrites `op(T_P(x)…)` into `T_P(op(x…))`; returns a reason when the op's own arguments cannot follow. */
export function sink(g: Graph, index: GraphIndex, n: Node, { perm, transposes }: Candidate): string | undefined {
  const inv = inversePerm(perm);
  const x0 = g.tensor(transposes[0]!.inputs[0]!);
  const inputs = [...n.inputs];
  const attrs = n.attrs;
  const outs = rewriteArgs(g, index, n, perm, x0, inputs);
  if (typeof outs === 'string') {
    n.attrs = attrs;
    return outs;
  }
  for (const i of dataInputs(n)) {
    const name = inputs[i];
    if (!name) continue;
    const p = index.producer(name);
    if (p && transposes.includes(p)) inputs[i] = p.inputs[0]!;
    else if (constTensor(g, name)) inputs[i] = permutedOperand(g, index, name, inv);
  }
  index.remove(n);
  n.inputs = inputs;
  n.outputs = n.outputs.map((o, k) => {
    const y = g.tensor(o);
    const { after, shape } = outs[k]!;
    if (isIdentityPerm(after)) {
      y.layout = layoutFor(y.shape.length, x0);
      return o;
    }
    const pre = index.fresh(`${o}_pre_transpose`);
    g.addTensor({ name: pre, dtype: y.dtype, shape, layout: layoutFor(shape.length, x0), quant: y.quant });
    index.addNode({ name: index.fresh(`${n.name}_transpose`), op: 'TRANSPOSE', inputs: [pre, intsConst(g, index, `${n.name}_perm`, after)], outputs: [o], attrs: {}, sourceNode: n.sourceNode });
    return pre;
  });
  index.add(n);
  for (const t of transposes) {
    if (g.outputs.includes(t.outputs[0]!) || index.consumers(t.outputs[0]!).length) continue;
    index.removeNode(t);
  }
  return undefined;
}

/**
 * One walk over the nodes, sinking every TRANSPOSE that may move (`shared`: see the header).
 * `declined` maps node names to why the last attempt failed (an attempt that succeeds clears it).
 * Returns how many sinks happened; leaves new nodes at the end (the caller sorts).
 */
export function sinkBelowOps(g: Graph, index: GraphIndex, shared: boolean, declined: Map<string, string>): number {
  let moved = 0;
  for (const n of [...g.nodes]) {
    if (!index.has(n)) continue;
    const c = candidate(g, index, n, shared);
    if (c === undefined) continue;
    const why = typeof c === 'string' ? c : sink(g, index, n, c);
    if (why) {
      declined.set(n.name, why);
      continue;
    }
    declined.delete(n.name);
    moved++;
  }
  return moved;
}

/** `declined` as the pass reports it: one line per node still in the graph. */
export function declineLines(g: Graph, declined: ReadonlyMap<string, string>): string[] {
  return [...declined].filter(([name]) => g.hasNode(name)).map(([name, why]) => `'${name}': ${why}`);
}

export const sinkTransposesBelowOps: PassSpec = {
  id: 'sink-transposes-below-ops',
  phase: 'layout',
  summary: 'move TRANSPOSEs down through layout-agnostic ops (elementwise, concat, split, pad, slice, reduce, reshape) where that adds none',
  run(g: Graph): PassResult {
    const declined = new Map<string, string>();
    let sunk = 0;
    for (let round = 0; round < 1000; round++) {
      const moved = sinkBelowOps(g, new GraphIndex(g), false, declined);
      if (!moved) break;
      sunk += moved;
      g.topoSort();
    }
    if (sunk || declined.size) g.pruneTensors();
    return summarize('transposes sunk below ops', sunk, declineLines(g, declined), { sunk, transposesLeft: countTransposes(g) });
  },
};
