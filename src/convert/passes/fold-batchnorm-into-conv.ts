/**
 * fold-batchnorm-into-conv: a per-output-channel constant MUL (scale) and / or
 * ADD / SUB (shift) right after a CONV_2D, DEPTHWISE_CONV_2D or FULLY_CONNECTED
 * — what BatchNormalization becomes when it could not be folded at import — is
 * folded into that op: W'[o] = W[o]·s[o], b'[o] = b[o]·s[o] + t[o]. DIV by a
 * constant folds as MUL by its reciprocal. The producer takes over the folded
 * node's output and fused activation. Declined when the producer's output has
 * another reader or is a graph output (folding would change what they see),
 * when the producer already fuses an activation, when weights are not
 * float32 constants, when the result is ROUNDed (quantization: exactness matters), or, in a
 * float16 source, when a scale would turn float16-exact weights into float32 ones (keep-half-weights
 * could no longer store them as FLOAT16: ConvNeXt's layer scale after its MLP doubled those weights).
 */
import type { Graph } from '../../ir/graph.js';
import { GraphIndex } from '../../ir/graph-index.js';
import type { Node } from '../../ir/node.js';
import { numElements, type Tensor } from '../../ir/tensor.js';
import { constTensor, exclusiveUseProblem, sameShape } from './graph-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';
import { broadcastShapes } from '../../ir/ndarray.js';
import { exactHalf, FLOAT16_WEIGHTS_KEY } from './keep-half-weights.js';

const PRODUCERS = new Set(['CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED']);
const AFFINE = new Set(['MUL', 'ADD', 'SUB', 'DIV']);

/** Output-channel axis of the weights and the channel count. */
function channelAxis(op: string): number {
  return op === 'DEPTHWISE_CONV_2D' ? 3 : 0;
}

/** Per-channel values of a constant operand broadcasting only along the last axis of `outShape`, else undefined. */
function perChannel(t: Tensor, outShape: number[]): Float32Array | undefined {
  const c = outShape[outShape.length - 1]!;
  const n = numElements(t.shape);
  const b = broadcastShapes(t.shape, outShape);
  if (!b || !sameShape(b, outShape)) return undefined;
  if (n === 1) return new Float32Array(c).fill(Number(t.data![0]));
  if (n !== c || t.shape[t.shape.length - 1] !== c) return undefined;
  return Float32Array.from(t.data as Float32Array);
}

interface Folding {
  scale: Float32Array;
  shift: Float32Array;
}

/** The affine step `a` applies to the producer output `x` per channel, or a reason it cannot fold. */
function affineOf(g: Graph, a: Node, x: string, outShape: number[]): Folding | string {
  const i = a.inputs[0] === x ? 0 : a.inputs[1] === x ? 1 : -1;
  if (i < 0 || a.inputs[0] === a.inputs[1]) return 'reads the producer output in an unsupported position';
  const k = constTensor(g, a.inputs[1 - i]);
  if (!k) return 'its other operand is not a constant';
  if (k.dtype !== 'float32' || k.quant) return `its constant is ${k.quant ? 'quantized' : k.dtype}, not float32`;
  const v = perChannel(k, outShape);
  if (!v) return `its constant [${k.shape}] is not per-channel over output [${outShape}]`;
  const c = v.length;
  const one = new Float32Array(c).fill(1);
  const zero = new Float32Array(c);
  switch (a.op) {
    case 'MUL': return { scale: v, shift: zero };
    case 'ADD': return { scale: one, shift: v };
    case 'SUB': return i === 0 ? { scale: one, shift: v.map((s) => -s) } : 'constant minus conv output is not folded';
    default: return i === 0 ? { scale: v.map((s) => Math.fround(1 / s)), shift: zero } : 'constant divided by conv output is not folded';
  }
}

/** The weights of `p` scaled per output channel (new data; `w` is not touched). */
function scaledWeights(p: Node, w: Tensor, scale: Float32Array): Float32Array {
  const axis = channelAxis(p.op);
  const c = w.shape[axis]!;
  const wData = w.data as Float32Array;
  const newW = new Float32Array(wData.length);
  const inner = numElements(w.shape.slice(axis + 1));
  for (let i = 0; i < wData.length; i++) newW[i] = Math.fround(wData[i]! * scale[Math.floor(i / inner) % c]!);
  return newW;
}

/** New weights/bias tensors for `p` with the folding applied (never mutates shared or source data). */
function applyFolding(g: Graph, p: Node, f: Folding, newW: Float32Array): void {
  const w = g.tensor(p.inputs[1]!);
  const c = w.shape[channelAxis(p.op)]!;
  const biasName = p.inputs[2];
  const bias = biasName ? constTensor(g, biasName) : undefined;
  const newB = new Float32Array(c);
  for (let o = 0; o < c; o++) newB[o] = Math.fround(Math.fround((bias ? Number(bias.data![o]) : 0) * f.scale[o]!) + f.shift[o]!);
  const shared = (name: string) => g.consumersOf(name).length > 1 || g.outputs.includes(name);
  if (shared(w.name)) {
    const name = g.uniqueName(`${w.name}_folded`);
    g.addTensor({ ...w, name, data: newW, quant: undefined });
    p.inputs[1] = name;
  } else w.data = newW;
  if (bias && !shared(bias.name)) bias.data = newB;
  else {
    const name = g.uniqueName(`${p.name}_bias_folded`);
    g.addTensor({ name, dtype: 'float32', shape: [c], layout: 'plain', data: newB });
    while (p.inputs.length < 3) p.inputs.push('');
    p.inputs[2] = name;
  }
}

export const foldBatchnormIntoConv: PassSpec = {
  id: 'fold-batchnorm-into-conv',
  phase: 'fuse',
  summary: 'fold per-channel constant MUL/ADD (BatchNormalization) into the preceding CONV_2D / DEPTHWISE_CONV_2D / FULLY_CONNECTED',
  run(g: Graph): PassResult {
    let folded = 0;
    const declines: string[] = [];
    // Readers of each tensor, built once: a fold removes the reader of `out` and deletes `out`
    // itself, and the producer takes over the reader's output, whose readers stay the same.
    // (New weight / bias names only ever feed `p`, and applyFolding asks the graph about those.)
    const index = new GraphIndex(g);
    const removed = new Set<Node>();
    const halfSource = g.metadata.has(FLOAT16_WEIGHTS_KEY);
    const readers = (name: string) => index.consumers(name);
    for (const p of [...g.nodes]) {
      if (!PRODUCERS.has(p.op) || removed.has(p)) continue;
      for (;;) {
        const out = p.outputs[0]!;
        // a match: an elementwise op combining the output with a constant (a residual ADD is not one)
        const candidate = readers(out).find(
          (n) => AFFINE.has(n.op) && n.inputs.some((i) => i !== out && constTensor(g, i) !== undefined),
        );
        if (!candidate) break;
        const label = `${candidate.op} '${candidate.name}' after ${p.op} '${p.name}'`;
        const exclusive = exclusiveUseProblem(g, out, readers(out));
        if (exclusive) {
          declines.push(`${label}: ${exclusive}`);
          break;
        }
        // folding is exact only up to float32 rounding: a result that is rounded to an integer (QuantizeLinear's
        // x / scale → ROUND) could land on the other side of a rounding boundary
        if (readers(candidate.outputs[0]!).some((n) => n.op === 'ROUND')) {
          declines.push(`${label}: its result is rounded to an integer (ROUND): folded weights can round it differently`);
          break;
        }
        if ((p.attrs.activation ?? 'NONE') !== 'NONE') {
          declines.push(`${label}: ${p.op} already fuses ${p.attrs.activation}`);
          break;
        }
        const w = constTensor(g, p.inputs[1]);
        if (!w || w.dtype !== 'float32' || w.quant) {
          declines.push(`${label}: weights are not float32 constants`);
          break;
        }
        const bias = p.inputs[2] ? constTensor(g, p.inputs[2]) : undefined;
        if (p.inputs[2] && (!bias || bias.dtype !== 'float32' || bias.quant)) {
          declines.push(`${label}: bias is not a float32 constant`);
          break;
        }
        const outT = g.tensor(out);
        const resT = g.tensor(candidate.outputs[0]!);
        if (outT.quant || resT.quant || !sameShape(outT.shape, resT.shape)) {
          declines.push(`${label}: quantized or broadcasting output`);
          break;
        }
        const f = affineOf(g, candidate, out, outT.shape);
        if (typeof f === 'string') {
          declines.push(`${label}: ${f}`);
          break;
        }
        if (f.scale.length !== w.shape[channelAxis(p.op)]) {
          declines.push(`${label}: ${f.scale.length} channels vs weights [${w.shape}]`);
          break;
        }
        const newW = scaledWeights(p, w, f.scale);
        if (halfSource && exactHalf(w.data as Float32Array) && !exactHalf(newW)) {
          declines.push(`${label}: float16 source: the scaled weights would no longer be float16 (kept as a ${candidate.op})`);
          break;
        }
        applyFolding(g, p, f, newW);
        p.outputs[0] = resT.name;
        p.attrs = { ...p.attrs, activation: candidate.attrs.activation ?? 'NONE' };
        removed.add(candidate);
        g.tensors.delete(out);
        folded++;
      }
    }
    if (removed.size) g.nodes = g.nodes.filter((n) => !removed.has(n));
    if (folded) g.pruneTensors();
    return summarize('affine nodes folded', folded, declines, { folded });
  },
};
