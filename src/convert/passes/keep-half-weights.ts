/**
 * keep-half-weights: a float16 source (`.half()` / onnxconverter-common exports; the import sets
 * FLOAT16_WEIGHTS_KEY) keeps its weights float16 in the .tflite — each float32 constant whose values
 * are all exactly float16 becomes a FLOAT16 constant read through a DEQUANTIZE into float32, the
 * layout TFLiteConverter writes for fp16 and the GPU delegate folds into the consumer. Lossless (only
 * exact values move), so the file is about the size of the ONNX model rather than twice it.
 */
import type { Graph } from '../../ir/graph.js';
import { floatToHalf, halfToFloat } from '../../ir/dtype.js';
import type { Tensor } from '../../ir/tensor.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

/** Graph metadata key the ONNX import sets when the source stores float16 weights. */
export const FLOAT16_WEIGHTS_KEY = 'mai_float16_weights';

export function toHalf(x: Float32Array): Uint16Array {
  const out = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = floatToHalf(x[i]!);
  return out;
}

/** The float16 bits of `x` when every value round-trips exactly (NaN and ±0 included), else undefined. */
export function exactHalf(x: Float32Array): Uint16Array | undefined {
  const h = toHalf(x);
  for (let i = 0; i < x.length; i++) {
    const back = halfToFloat(h[i]!);
    if (!Object.is(back, x[i]!) && !(Number.isNaN(back) && Number.isNaN(x[i]!))) return undefined;
  }
  return h;
}

/**
 * Every float32 constant a node reads (not a graph output) for which `half(t)` gives float16 bits
 * becomes a FLOAT16 constant + DEQUANTIZE whose output keeps the constant's name, so readers are
 * unchanged. The DEQUANTIZE nodes go first (their inputs are constants). Returns how many.
 */
export function weightsToFloat16(g: Graph, half: (t: Tensor) => Uint16Array | undefined): number {
  const read = new Set<string>();
  for (const n of g.nodes) for (const i of n.inputs) if (i) read.add(i);
  const added = [];
  for (const t of [...g.tensors.values()]) {
    if (t.dtype !== 'float32' || !t.data || !read.has(t.name) || g.outputs.includes(t.name)) continue;
    const bits = half(t);
    if (!bits) continue;
    const name = g.uniqueName(`${t.name}_fp16`);
    g.addTensor({ name, dtype: 'float16', shape: [...t.shape], layout: t.layout, data: bits });
    delete t.data;
    added.push({ name: g.uniqueName(`${t.name}__dequantize`), op: 'DEQUANTIZE' as const, inputs: [name], outputs: [t.name], attrs: {} });
  }
  g.nodes = [...added, ...g.nodes];
  return added.length;
}

export const keepHalfWeights: PassSpec = {
  id: 'keep-half-weights',
  phase: 'cleanup',
  summary: 'float16 sources: weights that are exactly float16 stay FLOAT16 constants behind a DEQUANTIZE',
  run(g: Graph): PassResult {
    if (!g.metadata.has(FLOAT16_WEIGHTS_KEY)) return summarize('float16 weights kept (the source has none)', 0, []);
    let inexact = 0;
    const kept = weightsToFloat16(g, (t) => {
      const h = exactHalf(t.data as Float32Array);
      if (!h && t.data!.length > 1) inexact++;
      return h;
    });
    return summarize('float16 weights kept behind DEQUANTIZE', kept, [], { kept, float32: inexact });
  },
};
