import { Graph } from '../ir/graph.js';

/**
 * A structural copy of `g` that passes may edit freely: new Tensor and Node
 * objects (shapes, quant params, inputs/outputs, attrs copied); constant data
 * is shared (callers replace `data`, never write into it — it may be a view
 * into a file's bytes).
 */
export function cloneGraph(g: Graph): Graph {
  const c = new Graph();
  for (const t of g.tensors.values()) {
    c.tensors.set(t.name, {
      ...t,
      shape: [...t.shape],
      shapeSignature: t.shapeSignature ? [...t.shapeSignature] : undefined,
      quant: t.quant ? { ...t.quant, scale: [...t.quant.scale], zeroPoint: [...t.quant.zeroPoint] } : undefined,
    });
    if (c.tensors.get(t.name)!.shapeSignature === undefined) delete c.tensors.get(t.name)!.shapeSignature;
    if (c.tensors.get(t.name)!.quant === undefined) delete c.tensors.get(t.name)!.quant;
  }
  c.nodes = g.nodes.map((n) => ({ ...n, inputs: [...n.inputs], outputs: [...n.outputs], attrs: { ...n.attrs } }));
  c.inputs = [...g.inputs];
  c.outputs = [...g.outputs];
  if (g.signature) {
    c.signature = {
      key: g.signature.key,
      inputs: g.signature.inputs.map((s) => ({ ...s })),
      outputs: g.signature.outputs.map((s) => ({ ...s })),
    };
  }
  c.metadata = new Map(g.metadata);
  c.description = g.description;
  return c;
}
