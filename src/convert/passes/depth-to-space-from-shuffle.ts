/**
 * depth-to-space-from-shuffle: a chain of RESHAPE / TRANSPOSE nodes through tensors of rank > 4
 * (PyTorch's pixel_shuffle exports as Reshape 6-D → Transpose 6-D → Reshape; the GPU delegate
 * rejects every node touching a 5-D or 6-D tensor) becomes one DEPTH_TO_SPACE when it moves the
 * elements exactly as DEPTH_TO_SPACE does. The check is exact: the chain is run on the element
 * indices of its 4-D input and compared with DEPTH_TO_SPACE's mapping. A chain that is
 * DEPTH_TO_SPACE after a permutation of the input channels (pixel_shuffle's CRD order against
 * TFLite's DCR) is taken too when a CONV_2D with constant weights produces the input: its output
 * channels (weights and bias) are permuted instead. pixel_unshuffle (Reshape 6-D → Transpose →
 * Reshape the other way) becomes SPACE_TO_DEPTH likewise, the channel order going into the input
 * channels of the one CONV_2D that reads the result.
 */
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { numElements, type Tensor } from '../../ir/tensor.js';
import { constInts, constTensor, exclusiveUseProblem } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';
import { permuteData } from '../../ir/ndarray.js';

const isShuffle = (n: Node | undefined): n is Node => n !== undefined && (n.op === 'RESHAPE' || n.op === 'TRANSPOSE') && n.outputs.length === 1;
const rankOf = (g: Graph, name: string) => g.tensor(name).shape.length;

/** The maximal RESHAPE/TRANSPOSE chain around `seed` whose inner tensors each have exactly one reader. */
export function chainAround(g: Graph, seed: Node): Node[] {
  const chain = [seed];
  for (;;) {
    const x = chain[0]!.inputs[0]!;
    const p = g.producerOf(x);
    if (!isShuffle(p) || exclusiveUseProblem(g, x)) break;
    chain.unshift(p);
  }
  for (;;) {
    const y = chain[chain.length - 1]!.outputs[0]!;
    const cs = g.consumersOf(y);
    if (exclusiveUseProblem(g, y) || !isShuffle(cs[0]) || cs[0]!.inputs[0] !== y) break;
    chain.push(cs[0]!);
  }
  return chain;
}

/** out[i] = index of the chain input element that lands at output position i; undefined if a perm is unknown. */
export function simulate(g: Graph, chain: Node[]): Int32Array | undefined {
  const x = g.tensor(chain[0]!.inputs[0]!);
  let data: Int32Array = Int32Array.from({ length: numElements(x.shape) }, (_, i) => i);
  let shape = x.shape;
  for (const n of chain) {
    if (n.op === 'TRANSPOSE') {
      const perm = constInts(g, n.inputs[1]);
      if (!perm || perm.length !== shape.length) return undefined;
      data = permuteData('int32', data, shape, perm) as Int32Array;
    }
    shape = g.tensor(n.outputs[0]!).shape;
  }
  return data;
}

/**
 * For x [N,H,W,C] → y [N,H·r,W·r,C/r²]: the input channel π[d] DEPTH_TO_SPACE would read as its
 * channel d, when `map` is DEPTH_TO_SPACE after some channel permutation π; else undefined.
 */
function depthToSpacePerm(xs: readonly number[], ys: readonly number[], map: Int32Array): { r: number; pi: number[] } | undefined {
  const [n, h, w, c] = xs as [number, number, number, number];
  const [n2, oh, ow, co] = ys as [number, number, number, number];
  const r = oh / h;
  if (n2 !== n || r < 2 || !Number.isInteger(r) || ow !== w * r || co * r * r !== c) return undefined;
  const pi = new Array<number>(c).fill(-1);
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++)
        for (let k = 0; k < co; k++, o++) {
          const src = map[o]!;
          const ch = src % c;
          const sw = Math.floor(src / c) % w;
          const sh = Math.floor(src / (c * w)) % h;
          const sb = Math.floor(src / (c * w * h));
          if (sb !== b || sh !== Math.floor(y / r) || sw !== Math.floor(x / r)) return undefined;
          const d = ((y % r) * r + (x % r)) * co + k;
          if (pi[d] === -1) pi[d] = ch;
          else if (pi[d] !== ch) return undefined;
        }
  return { r, pi };
}

/**
 * For x [N,H,W,C] → y [N,H/r,W/r,C·r²]: σ with y[…, k] = SPACE_TO_DEPTH(x)[…, σ[k]], when `map`
 * is SPACE_TO_DEPTH followed by some channel permutation (pixel_unshuffle's CRD order); else undefined.
 */
function spaceToDepthPerm(xs: readonly number[], ys: readonly number[], map: Int32Array): { r: number; sigma: number[] } | undefined {
  const [n, h, w, c] = xs as [number, number, number, number];
  const [n2, oh, ow, co] = ys as [number, number, number, number];
  const r = h / oh;
  if (n2 !== n || r < 2 || !Number.isInteger(r) || w !== ow * r || co !== c * r * r) return undefined;
  const sigma = new Array<number>(co).fill(-1);
  let o = 0;
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++)
        for (let k = 0; k < co; k++, o++) {
          const src = map[o]!;
          const ch = src % c;
          const sw = Math.floor(src / c) % w;
          const sh = Math.floor(src / (c * w)) % h;
          const sb = Math.floor(src / (c * w * h));
          const i = sh - y * r;
          const j = sw - x * r;
          if (sb !== b || i < 0 || i >= r || j < 0 || j >= r) return undefined;
          const d = (i * r + j) * c + ch;
          if (sigma[k] === -1) sigma[k] = d;
          else if (sigma[k] !== d) return undefined;
        }
  return { r, sigma };
}

/** The CONV_2D reading `y` (its only reader) takes channel σ[k] where it took k: its weights' input channels move; a reason when impossible. */
function permuteConvInputs(g: Graph, y: string, sigma: number[]): string | undefined {
  const readers = g.consumersOf(y);
  const conv = readers[0];
  if (readers.length !== 1 || g.outputs.includes(y) || !conv || conv.op !== 'CONV_2D' || conv.inputs[0] !== y) return `output '${y}' needs a channel permutation and is not read by one CONV_2D only`;
  const w = constTensor(g, conv.inputs[1]);
  if (!w?.data || w.quant || w.shape.length !== 4 || w.shape[3] !== sigma.length) return `CONV_2D '${conv.name}' has non-constant, quantized or grouped weights`;
  const ci = sigma.length;
  const src = w.data as Float32Array;
  const data = src.slice();
  for (let base = 0; base < src.length; base += ci) for (let k = 0; k < ci; k++) data[base + sigma[k]!] = src[base + k]!;
  const name = g.uniqueName(`${w.name}_s2d_order`);
  g.addTensor({ ...w, name, data });
  conv.inputs = [conv.inputs[0]!, name, ...conv.inputs.slice(2)];
  return undefined;
}

/** Permutes the output channels of the CONV_2D producing `x` so that new channel d = old channel π[d]; a reason when impossible. */
function permuteConvOutputs(g: Graph, x: string, pi: number[]): string | undefined {
  const conv = g.producerOf(x);
  if (!conv || conv.op !== 'CONV_2D') return `input '${x}' needs a channel permutation and is not produced by a CONV_2D`;
  const why = exclusiveUseProblem(g, x);
  if (why) return why;
  const w = constTensor(g, conv.inputs[1]);
  const bias = conv.inputs[2] ? constTensor(g, conv.inputs[2]) : undefined;
  if (!w?.data || w.quant || (conv.inputs[2] && !bias?.data) || bias?.quant || g.tensor(x).quant) return `CONV_2D '${conv.name}' has non-constant or quantized weights`;
  const perOut = numElements(w.shape) / w.shape[0]!;
  const fresh = (t: Tensor, stride: number): string => {
    const data = t.data!.slice() as typeof t.data;
    for (let d = 0; d < pi.length; d++) (data as Float32Array).set((t.data as Float32Array).subarray(pi[d]! * stride, (pi[d]! + 1) * stride), d * stride);
    const name = g.uniqueName(`${t.name}_d2s_order`);
    g.addTensor({ ...t, name, data });
    return name;
  };
  conv.inputs = [conv.inputs[0]!, fresh(w, perOut), ...(bias ? [fresh(bias, 1)] : conv.inputs.slice(2))];
  return undefined;
}

export const depthToSpaceFromShuffle: PassSpec = {
  id: 'depth-to-space-from-shuffle',
  phase: 'target',
  transactional: true,
  summary: 'RESHAPE/TRANSPOSE chains through 5-D/6-D tensors that move elements like DEPTH_TO_SPACE / SPACE_TO_DEPTH → that op',
  run(g: Graph): PassResult {
    let replaced = 0;
    const declines: string[] = [];
    for (const seed of [...g.nodes]) {
      if (!g.nodes.includes(seed) || !isShuffle(seed) || rankOf(g, seed.outputs[0]!) <= 4) continue;
      const full = chainAround(g, seed);
      const at = full.indexOf(seed);
      const label = `${full.map((n) => n.op).join('→')} '${seed.name}'`;
      // the longest sub-chain around the seed that runs 4-D → 4-D and moves elements like DEPTH_TO_SPACE
      let chain: Node[] | undefined;
      let found: { r: number; pi: number[] } | undefined;
      let s2d: { r: number; sigma: number[] } | undefined;
      let fourD = false;
      for (let len = full.length; len >= 1 && !found && !s2d; len--) {
        for (let s = Math.max(0, at - len + 1); s <= at && s + len <= full.length && !found && !s2d; s++) {
          const sub = full.slice(s, s + len);
          const x = sub[0]!.inputs[0]!;
          const y = sub[sub.length - 1]!.outputs[0]!;
          if (rankOf(g, x) !== 4 || rankOf(g, y) !== 4) continue;
          fourD = true;
          const map = simulate(g, sub);
          found = map && depthToSpacePerm(g.tensor(x).shape, g.tensor(y).shape, map);
          s2d = found ? undefined : map && spaceToDepthPerm(g.tensor(x).shape, g.tensor(y).shape, map);
          if (found || s2d) chain = sub;
        }
      }
      if ((!found && !s2d) || !chain) {
        declines.push(`${label}: ${fourD ? 'does not move elements like DEPTH_TO_SPACE or SPACE_TO_DEPTH' : 'no part of it runs from a 4-D tensor to a 4-D tensor'}`);
        continue;
      }
      const x = chain[0]!.inputs[0]!;
      if (s2d) {
        const y = chain[chain.length - 1]!.outputs[0]!;
        if (s2d.sigma.some((p, i) => p !== i)) {
          const why = permuteConvInputs(g, y, s2d.sigma);
          if (why) {
            declines.push(`${label}: ${why}`);
            continue;
          }
        }
        collapseChain(g, chain, 'SPACE_TO_DEPTH', x, s2d.r);
        replaced++;
        continue;
      }
      if (!found) continue;
      if (found.pi.some((p, i) => p !== i)) {
        const why = permuteConvOutputs(g, x, found.pi);
        if (why) {
          declines.push(`${label}: ${why}`);
          continue;
        }
      }
      collapseChain(g, chain, 'DEPTH_TO_SPACE', x, found.r);
      replaced++;
    }
    if (replaced) g.pruneTensors();
    return summarize('shuffle chains replaced by DEPTH_TO_SPACE / SPACE_TO_DEPTH', replaced, declines, { replaced });
  },
};

/** The chain becomes its last node, rewritten as `op` of `x` with block size `r`. */
function collapseChain(g: Graph, chain: Node[], op: 'DEPTH_TO_SPACE' | 'SPACE_TO_DEPTH', x: string, r: number): void {
  const last = chain[chain.length - 1]!;
  for (const n of chain.slice(0, -1)) g.removeNode(n);
  last.op = op;
  last.inputs = [x];
  last.attrs = { blockSize: r };
  last.version = undefined;
}
