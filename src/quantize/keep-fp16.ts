/**
 * Layers an int8 model keeps float run at the source's precision: a weight the
 * source stored as float16 (a DEQUANTIZE of an fp16 constant, as in Google's
 * models) and the quantizer unfolded to float32 goes back to float16 behind a
 * DEQUANTIZE, so keeping layers float does not double their weight bytes.
 */
import type { Graph } from '../ir/graph.js';

/** Restores fp16 storage in `g` (edited in place) for every float32 constant `source` built from an fp16 one; returns how many. */
export function restoreFp16Constants(g: Graph, source: Graph): number {
  const consumers = g.consumers();
  let restored = 0;
  for (const t of [...g.tensors.values()]) {
    if (t.dtype !== 'float32' || !t.data || !consumers.get(t.name)?.length) continue;
    const p = source.producerOf(t.name);
    if (p?.op !== 'DEQUANTIZE') continue;
    const half = source.tensors.get(p.inputs[0] ?? '');
    if (!half?.data || half.dtype !== 'float16' || half.quant) continue;
    const name = g.uniqueName(half.name);
    g.addTensor({ ...half, name, shape: [...half.shape] });
    delete t.data;
    g.addNode({ name: g.uniqueName(`${t.name}__dequantize`), op: 'DEQUANTIZE', inputs: [name], outputs: [t.name], attrs: {} });
    restored++;
  }
  if (restored) g.topoSort();
  return restored;
}
