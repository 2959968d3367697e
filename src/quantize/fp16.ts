/**
 * float16 weight quantization as TFLiteConverter writes it: every float32
 * constant becomes a FLOAT16 constant read through a DEQUANTIZE whose float32
 * output keeps the constant's name, so consumers are unchanged. The GPU
 * delegate folds DEQUANTIZE-of-constant into its consumer (src/convert/gpu);
 * XNNPACK does the same on CPU. File size ≈ ½ of the float32 model.
 */
import type { Graph } from '../ir/graph.js';
import { floatToHalf } from '../ir/dtype.js';
import { assertValid } from '../ir/verify.js';
import { foldConstantDequantize } from './fold-dequantize.js';

export function toHalf(x: Float32Array): Uint16Array {
  const out = new Uint16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = floatToHalf(x[i]!);
  return out;
}

export function quantizeFp16(input: Graph): Graph {
  const g = input.clone();
  foldConstantDequantize(g);
  const read = new Set<string>();
  for (const n of g.nodes) for (const i of n.inputs) if (i) read.add(i);
  const newNodes = [];
  for (const t of [...g.tensors.values()]) {
    if (t.dtype !== 'float32' || !t.data || !read.has(t.name) || g.outputs.includes(t.name)) continue;
    const half = g.uniqueName(`${t.name}_fp16`);
    g.addTensor({ name: half, dtype: 'float16', shape: [...t.shape], layout: t.layout, data: toHalf(t.data as Float32Array) });
    delete t.data;
    newNodes.push({ name: g.uniqueName(`${t.name}__dequantize`), op: 'DEQUANTIZE' as const, inputs: [half], outputs: [t.name], attrs: {} });
  }
  // DEQUANTIZE nodes first, as TFLiteConverter orders them (their inputs are constants)
  g.nodes = [...newNodes, ...g.nodes];
  assertValid(g, 'fp16 quantization');
  return g;
}
