/**
 * `mai inspect` of a TF graph (model.json, frozen GraphDef, SavedModel): its own inputs / outputs as
 * the signature or Placeholders declare them, the histogram of the TF ops the outputs need, its weight
 * bytes, and what `mai convert` would make of it (or every node it cannot convert).
 */
import { DTYPE_SIZE } from '../../ir/dtype.js';
import { numElements } from '../../ir/tensor.js';
import type { TfModel } from './model.js';
import { graphIo } from './import.js';
import { orderNodes } from './order.js';
import { tfDType, tfShape } from './tensor.js';
import { canonicalTensor, TfNode } from './node.js';

export interface TfGraphSummary {
  inputs: Array<{ name: string; dtype: string; shape: Array<number | string> }>;
  outputs: Array<{ name: string; dtype: string; shape: Array<number | string> }>;
  ops: Record<string, number>;
  nodeCount: number;
  tensorCount: number;
  weightBytes: number;
}

export function summarizeTfGraph(model: TfModel, outputs?: readonly string[]): TfGraphSummary {
  const io = graphIo(model, outputs);
  const byName = new Map(model.nodes.map((n) => [n.name ?? '', n]));
  const nodes = orderNodes(byName, io.outputs.map((o) => o.tensor.split(':')[0]!), new Set(io.inputs.map((i) => i.tensor)), model.file);
  const ops: Record<string, number> = {};
  let weightBytes = 0;
  for (const n of nodes) {
    ops[n.op ?? '?'] = (ops[n.op ?? '?'] ?? 0) + 1;
    if (n.op !== 'Const') continue;
    const w = model.weights.get(n.name ?? '');
    if (w) weightBytes += w.data?.byteLength ?? 0;
    else {
      const t = n.attr?.value?.tensor;
      const dtype = tfDType(t?.dtype);
      if (dtype) weightBytes += numElements((tfShape(t?.tensorShape) ?? []).map((d) => d ?? 0)) * DTYPE_SIZE[dtype];
    }
  }
  const dims = (s: Array<number | null> | undefined) => (s ?? []).map((d) => d ?? '?');
  return {
    inputs: io.inputs.map((i) => {
      const node = byName.get(i.tensor.split(':')[0]!);
      const p = node ? new TfNode(node) : undefined;
      return { name: i.name, dtype: i.dtype ?? p?.dtype('dtype') ?? '?', shape: dims(i.shape ?? p?.shape('shape')) };
    }),
    outputs: io.outputs.map((o) => ({ name: o.name, dtype: o.dtype ?? '?', shape: dims(o.shape) })),
    ops,
    nodeCount: nodes.length,
    // every node's first output and every tensor read (a node's further outputs count once read)
    tensorCount: new Set(nodes.flatMap((n) => [n.name ?? '', ...(n.input ?? []).filter((i) => !i.startsWith('^')).map(canonicalTensor)])).size,
    weightBytes,
  };
}
