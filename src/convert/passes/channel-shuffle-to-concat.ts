/**
 * channel-shuffle-to-concat: ShuffleNet's channel shuffle (Reshape [N,g,C/g,H,W] → Transpose → Reshape
 * [N,C,H,W], in ONNX's NCHW on a tensor the import keeps NHWC; sink-transposes leaves it as a 3-D
 * TRANSPOSE between RESHAPEs that also changes the layout) becomes a transpose-free interleave on the
 * NHWC tensor: its g channel groups, the inputs of the CONCATENATION that made it (ShuffleNet v2's
 * branches, v1's grouped convolution as the import writes it), are each RESHAPEd to [1, H·W, C/g, 1] and CONCATENATED on the last axis → [1, H·W, C/g, g], then RESHAPEd
 * back. What is left of the chain is one plain 4-D TRANSPOSE (the layout change), which
 * sink-transposes, run again here, moves on until it cancels. The check is exact: the chain is run on
 * element indices (as depth-to-space-from-shuffle does) and must be a 4-D transpose after a group
 * shuffle along one axis of its input. Kept only when the graph ends with fewer TRANSPOSEs and no
 * more nodes than before.
 */
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { numElements, type Tensor } from '../../ir/tensor.js';
import { chainAround, simulate } from './depth-to-space-from-shuffle.js';
import { sinkTransposes } from './sink-transposes.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

/** Layout changes a chain may make after its shuffle: output axis k is input axis perm[k]. */
const PERMS = [
  [0, 1, 2, 3],
  [0, 3, 1, 2],
  [0, 2, 3, 1],
];

const strides = (s: readonly number[]) => s.map((_, k) => numElements(s.slice(k + 1)));

export interface ChannelShuffle {
  /** The chain's output is TRANSPOSE(perm) of its input shuffled along `axis`. */
  perm: number[];
  axis: number;
  /** Groups: output channel j reads input channel (j mod g)·(C/g) + ⌊j/g⌋. */
  groups: number;
}

/**
 * The shuffle `map` (output element → input element index, x [4-D] → y [4-D]) performs, when it is
 * a group shuffle along one axis of x followed by one of PERMS; else undefined.
 */
export function channelShuffleOf(xs: readonly number[], ys: readonly number[], map: Int32Array): ChannelShuffle | undefined {
  const xStr = strides(xs);
  const yStr = strides(ys);
  for (const perm of PERMS) {
    if (perm.some((a, k) => xs[a] !== ys[k])) continue;
    for (let axis = 3; axis >= 0; axis--) {
      const c = xs[axis]!;
      if (c < 4) continue;
      // q = C/g: the input channel output channel 1 reads (all other coordinates 0)
      const q = Math.floor(map[yStr[perm.indexOf(axis)]!]! / xStr[axis]!) % c;
      const groups = c / q;
      if (q < 2 || !Number.isInteger(groups) || groups < 2) continue;
      let ok = true;
      for (let o = 0; o < map.length && ok; o++) {
        // the x coordinates the output element sits at, and those it reads from
        let at = 0;
        let rest = o;
        const xc = [0, 0, 0, 0];
        for (let k = 0; k < 4; k++) {
          xc[perm[k]!] = Math.floor(rest / yStr[k]!);
          rest %= yStr[k]!;
        }
        for (let a = 0; a < 4; a++) at += (a === axis ? ((xc[a]! % groups) * q + Math.floor(xc[a]! / groups)) : xc[a]!) * xStr[a]!;
        ok = map[o] === at;
      }
      if (ok) return { perm, axis, groups };
    }
  }
  return undefined;
}

function intConst(g: Graph, base: string, values: number[]): string {
  const name = g.uniqueName(base);
  g.addTensor({ name, dtype: 'int32', shape: [values.length], layout: 'plain', data: Int32Array.from(values) });
  return name;
}

/** The inputs of the CONCATENATION that made `x` when they are exactly its g groups along `axis` (a SLICE per group would cost more than the TRANSPOSE saved). */
function groupsOf(g: Graph, x: Tensor, axis: number, groups: number): string[] | undefined {
  const q = x.shape[axis]! / groups;
  const cat = g.producerOf(x.name);
  if (!cat || cat.op !== 'CONCATENATION' || (cat.attrs.activation ?? 'NONE') !== 'NONE' || cat.inputs.length !== groups) return undefined;
  if (((Number(cat.attrs.axis) % 4) + 4) % 4 !== axis) return undefined;
  return cat.inputs.every((i) => g.tensor(i).shape[axis] === q) ? [...cat.inputs] : undefined;
}

/** Replaces `chain` (x → … → y) by the interleave of x's groups, then TRANSPOSE(perm) unless it is the identity; a reason when impossible. */
function rewrite(g: Graph, chain: Node[], s: ChannelShuffle): string | undefined {
  const x = g.tensor(chain[0]!.inputs[0]!);
  const y = g.tensor(chain[chain.length - 1]!.outputs[0]!);
  const q = x.shape[s.axis]! / s.groups;
  const before = numElements(x.shape.slice(0, s.axis));
  const after = numElements(x.shape.slice(s.axis + 1));
  // a group becomes [1, before, q, 1] (interleaved on axis 3) or [1, q, 1, after] (on axis 2): 4-D either way
  if (before > 1 && after > 1) return `shuffle along axis ${s.axis} of [${x.shape}]: both sides of the axis are larger than 1`;
  const partShape = after === 1 ? [1, before, q, 1] : [1, q, 1, after];
  const catAxis = after === 1 ? 3 : 2;
  const sourceNode = chain.find((n) => n.op === 'TRANSPOSE' && g.tensor(n.outputs[0]!).shape.length > 4)?.sourceNode ?? chain[0]!.sourceNode;
  const nodes: Node[] = [];
  const add = (n: Node) => nodes.push({ ...n, sourceNode });
  const base = chain[chain.length - 1]!.name;
  // a reshaped group keeps its own quantization (a CONCATENATION's inputs may differ from its output)
  const tensor = (name: string, shape: number[], layout: Tensor['layout'], like: Tensor = x) => {
    const t = g.uniqueName(name);
    g.addTensor({ name: t, dtype: like.dtype, shape, layout, quant: like.quant });
    return t;
  };
  const groups = groupsOf(g, x, s.axis, s.groups);
  if (!groups) return `[${x.shape}] is not made by a CONCATENATION of its ${s.groups} groups along axis ${s.axis}`;
  const parts = groups.map((p, i) => {
    const r = tensor(`${base}_group${i}_4d`, partShape, 'plain', g.tensor(p));
    add({ name: g.uniqueName(`${r}_reshape`), op: 'RESHAPE', inputs: [p, intConst(g, `${r}_shape`, partShape)], outputs: [r], attrs: { newShape: partShape } });
    return r;
  });
  const catShape = partShape.map((d, a) => (a === catAxis ? s.groups : d));
  const interleaved = tensor(`${base}_interleaved`, catShape, 'plain');
  add({ name: g.uniqueName(`${base}_interleave`), op: 'CONCATENATION', inputs: parts, outputs: [interleaved], attrs: { axis: catAxis, activation: 'NONE' } });
  const identity = s.perm.every((a, k) => a === k);
  const shuffled = identity ? y.name : tensor(`${base}_shuffled`, [...x.shape], x.layout);
  add({ name: g.uniqueName(`${base}_shuffled_reshape`), op: 'RESHAPE', inputs: [interleaved, intConst(g, `${base}_shuffled_shape`, [...x.shape])], outputs: [shuffled], attrs: { newShape: [...x.shape] } });
  if (!identity) add({ name: g.uniqueName(`${base}_layout`), op: 'TRANSPOSE', inputs: [shuffled, intConst(g, `${base}_perm`, s.perm)], outputs: [y.name], attrs: {} });
  for (const n of chain) g.removeNode(n);
  for (const n of nodes) g.addNode(n);
  // the CONCATENATION whose inputs the interleave took is gone when nothing else read it
  const cat = g.producerOf(x.name)!;
  if (!g.consumersOf(x.name).length && !g.outputs.includes(x.name)) g.removeNode(cat);
  return undefined;
}

export const channelShuffleToConcat: PassSpec = {
  id: 'channel-shuffle-to-concat',
  phase: 'layout',
  transactional: true,
  summary: 'channel shuffle (RESHAPE 5-D → TRANSPOSE → RESHAPE) → SLICE / RESHAPE / CONCATENATION interleave on the NHWC tensor',
  run(g: Graph): PassResult {
    const transposes = () => g.nodes.filter((n) => n.op === 'TRANSPOSE').length;
    const before = { nodes: g.nodes.length, transposes: transposes() };
    let saved: Graph | undefined;
    let replaced = 0;
    const declines: string[] = [];
    for (const seed of [...g.nodes]) {
      if (seed.op !== 'TRANSPOSE' || !g.nodes.includes(seed)) continue;
      const full = chainAround(g, seed);
      const at = full.indexOf(seed);
      let found: { chain: Node[]; shuffle: ChannelShuffle } | undefined;
      // the longest 4-D → 4-D sub-chain around the seed that is a group shuffle (then a layout change)
      for (let len = full.length; len >= 2 && !found; len--) {
        for (let s = Math.max(0, at - len + 1); s <= at && s + len <= full.length && !found; s++) {
          const sub = full.slice(s, s + len);
          const xs = g.tensor(sub[0]!.inputs[0]!).shape;
          const ys = g.tensor(sub[sub.length - 1]!.outputs[0]!).shape;
          if (xs.length !== 4 || ys.length !== 4) continue;
          const map = simulate(g, sub);
          const shuffle = map && channelShuffleOf(xs, ys, map);
          if (shuffle) found = { chain: sub, shuffle };
        }
      }
      if (!found) continue;
      saved ??= g.clone(); // the graph before the first rewrite, put back if the result does not pay off
      const why = rewrite(g, found.chain, found.shuffle);
      if (why) declines.push(`'${seed.name}': ${why}`);
      else replaced++;
    }
    if (!replaced) return summarize('channel shuffles interleaved without TRANSPOSE', 0, declines, { replaced });
    g.topoSort();
    sinkTransposes.run(g);
    g.pruneTensors();
    const after = { nodes: g.nodes.length, transposes: transposes() };
    if (after.transposes >= before.transposes || after.nodes > before.nodes) {
      g.restore(saved!);
      const msg = `${replaced} shuffle(s) rewritten would leave ${after.transposes} TRANSPOSE(s) (now ${before.transposes}) and ${after.nodes} nodes (now ${before.nodes}): not kept`;
      return summarize('channel shuffles interleaved without TRANSPOSE', 0, [...declines, msg], { replaced: 0 });
    }
    return summarize('channel shuffles interleaved without TRANSPOSE', replaced, declines, { replaced, transposesRemoved: before.transposes - after.transposes });
  },
};
