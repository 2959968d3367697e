/**
 * `--outputs` on an ONNX graph: the graph's outputs become the chosen values (graph outputs or any
 * intermediate value) and only the nodes they need stay. `referenceModel` is the same selection as
 * a model onnxruntime can load from bytes (external data inlined), for `--check`.
 */
import { DTYPE_SIZE } from '../../ir/dtype.js';
import { numElements } from '../../ir/tensor.js';
import { nodesNeeded, resolveOutputs, type NodeAccess } from '../select-outputs.js';
import { decodeModel } from './decode.js';
import { normalizeGraph } from './normalize.js';
import { num, onnx, type GraphProto, type LongLike, type NodeProto, type TensorProto, type ValueInfoProto } from './proto.js';
import { onnxDType, readExternal } from './tensor-data.js';

const ACCESS: NodeAccess<NodeProto> = {
  reads: (n) => n.input ?? [],
  writes: (n) => n.output ?? [],
};

/** Keeps only `names` as outputs of `graph` (in that order) and the nodes they need; unused graph inputs stay. */
export function selectOnnxOutputs(graph: GraphProto, names: readonly string[], file?: string): void {
  const nodes = (graph.node ?? []) as NodeProto[];
  const outputs = (graph.output ?? []).map((o) => o.name ?? '');
  const wanted = resolveOutputs(names, outputs, nodes, ACCESS, file);
  const declared = new Map<string, ValueInfoProto>([...(graph.valueInfo ?? []), ...(graph.output ?? [])].map((v) => [v.name ?? '', v]));
  // a declaration gives the dtype an output left without data would need (empty.ts); else the name alone
  graph.output = wanted.map((w) => (declared.get(w) ?? { name: w }) as NonNullable<GraphProto['output']>[number]);
  graph.node = nodesNeeded(nodes, wanted, ACCESS);
}

/** The source model with only `names` as outputs, as bytes onnxruntime loads without the model's folder. */
export function referenceModel(bytes: Uint8Array, names: readonly string[], file?: string): Uint8Array {
  const model = decodeModel(bytes, file);
  const graph = model.graph!;
  normalizeGraph(graph, file);
  selectOnnxOutputs(graph, names, file);
  for (const t of graph.initializer ?? []) {
    if (t.dataLocation !== 1) continue;
    const dtype = onnxDType(t.dataType ?? 0);
    if (!dtype || dtype === 'string') continue;
    const n = numElements((t.dims ?? []).map((d) => num(d as number | LongLike)));
    t.rawData = readExternal(t as TensorProto, { file }, n * DTYPE_SIZE[dtype]);
    t.externalData = [];
    t.dataLocation = 0;
  }
  return onnx.ModelProto.encode(model).finish();
}
