/**
 * The ONNX models `--check` runs in onnxruntime. `asWritten`: the source (only the `--outputs`
 * selection when given). `float`: the same model's float32 computation, when the source computes in
 * lower precision where mai computes float32 — float16 values and weights upcast (fp16 exports), and
 * activation fake quantization (a runtime QuantizeLinear read only by DequantizeLinear, as the import
 * reads it: quant.ts) bypassed, dynamic-quantized chains as the float ops the import makes of them. A conversion is judged against `float`; `asWritten` is printed beside it.
 * Re-encoded models have their external data inlined (onnxruntime resolves it only from a file).
 */
import { DTYPE_SIZE, halfToFloat, viewAs } from '../../ir/dtype.js';
import { numElements } from '../../ir/tensor.js';
import { decodeModel } from './decode.js';
import { normalizeGraph } from './normalize.js';
import { rewriteDynamicQuant } from './patterns/dynamic-quant.js';
import { num, onnx, type AttributeProto, type GraphProto, type LongLike, type ModelProto, type NodeProto, type TensorProto } from './proto.js';
import { selectOnnxOutputs } from './select-outputs.js';
import { onnxDType, readExternal } from './tensor-data.js';

const FLOAT = 1;
const FLOAT16 = 10;

export interface ReferenceModel {
  bytes: Uint8Array;
  /** Load from this path (external data next to it) instead of `bytes`. */
  file?: string;
}

export interface ReferenceModels {
  asWritten: ReferenceModel;
  /** Present when the source computes in lower precision than float32; what was changed. */
  float?: ReferenceModel & { what: string[] };
}

function inlineExternalData(graph: GraphProto, file?: string): void {
  for (const t of graph.initializer ?? []) {
    if (t.dataLocation !== 1) continue;
    const dtype = onnxDType(t.dataType ?? 0);
    if (!dtype || dtype === 'string') continue;
    const n = numElements((t.dims ?? []).map((d) => num(d as number | LongLike)));
    t.rawData = readExternal(t as TensorProto, { file }, n * DTYPE_SIZE[dtype]);
    t.externalData = [];
    t.dataLocation = 0;
  }
}

/** A float16 TensorProto (raw_data or int32_data bits) rewritten as float32 in place. */
function upcastTensor(t: TensorProto, file?: string): void {
  const n = numElements((t.dims ?? []).map((d) => num(d as number | LongLike)));
  let bits: Uint16Array;
  if (t.dataLocation === 1) bits = viewAs('float16', readExternal(t, { file }, n * 2)) as Uint16Array;
  else if (t.rawData?.byteLength) bits = viewAs('float16', Uint8Array.from(t.rawData)) as Uint16Array;
  else bits = Uint16Array.from(t.int32Data ?? [], Number);
  const f = Float32Array.from(bits, halfToFloat);
  t.dataType = FLOAT;
  t.rawData = new Uint8Array(f.buffer);
  t.int32Data = [];
  t.externalData = [];
  t.dataLocation = 0;
}

/** float16 → float32 everywhere a type is named: tensors, value infos, Cast targets, dtype attributes. */
function upcastFloat16(graph: GraphProto, file?: string): boolean {
  let changed = false;
  const tensor = (t: TensorProto | null | undefined) => {
    if (t && t.dataType === FLOAT16) {
      upcastTensor(t, file);
      changed = true;
    }
  };
  for (const t of graph.initializer ?? []) tensor(t as TensorProto);
  for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    const tt = v.type?.tensorType;
    if (tt?.elemType === FLOAT16) {
      tt.elemType = FLOAT;
      changed = true;
    }
  }
  for (const n of (graph.node ?? []) as NodeProto[]) {
    for (const a of (n.attribute ?? []) as AttributeProto[]) {
      tensor(a.t as TensorProto | undefined);
      for (const t of a.tensors ?? []) tensor(t as TensorProto);
      if ((a.name === 'to' || a.name === 'dtype' || a.name === 'output_dtype') && num(a.i as number | LongLike) === FLOAT16) {
        a.i = FLOAT;
        changed = true;
      }
      for (const g of [a.g, ...(a.graphs ?? [])]) if (g && upcastFloat16(g as GraphProto, file)) changed = true;
    }
  }
  return changed;
}

/** Runtime QuantizeLinear → DequantizeLinear pairs replaced by the float value they quantize. */
function bypassFakeQuant(graph: GraphProto): number {
  const nodes = (graph.node ?? []) as NodeProto[];
  const constant = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
  for (const n of nodes) if (n.opType === 'Constant') for (const o of n.output ?? []) constant.add(o);
  const readers = new Map<string, NodeProto[]>();
  for (const n of nodes) for (const i of n.input ?? []) readers.set(i, [...(readers.get(i) ?? []), n]);
  const outputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  const rename = new Map<string, string>();
  const dropped = new Set<NodeProto>();
  for (const q of nodes) {
    const x = q.input?.[0];
    const y = q.output?.[0];
    if (q.opType !== 'QuantizeLinear' || !x || !y || constant.has(x) || outputs.has(y)) continue;
    const dqs = readers.get(y) ?? [];
    if (!dqs.length || dqs.some((d) => d.opType !== 'DequantizeLinear' || d.input?.[0] !== y)) continue;
    dropped.add(q);
    for (const d of dqs) {
      dropped.add(d);
      rename.set(d.output![0]!, x);
    }
  }
  if (!dropped.size) return 0;
  const resolve = (s: string) => {
    while (rename.has(s)) s = rename.get(s)!;
    return s;
  };
  const kept = nodes.filter((n) => !dropped.has(n));
  for (const n of kept) n.input = (n.input ?? []).map(resolve);
  // a graph output that was a DequantizeLinear result: an Identity of the float value keeps its name
  for (const o of graph.output ?? []) {
    const name = o.name ?? '';
    if (rename.has(name)) kept.push({ opType: 'Identity', input: [resolve(name)], output: [name], name: `${name}_float` } as NodeProto);
  }
  graph.node = kept;
  return [...dropped].filter((n) => n.opType === 'QuantizeLinear').length;
}

/** The reference models for `--check` of `bytes` (see the file comment). */
export function referenceModels(bytes: Uint8Array, opts: { file?: string; outputs?: readonly string[] } = {}): ReferenceModels {
  const { file, outputs } = opts;
  const select = (m: ModelProto) => {
    normalizeGraph(m.graph!, file);
    if (outputs?.length) selectOnnxOutputs(m.graph!, outputs, file);
  };
  let asWritten: ReferenceModel = { bytes, file };
  if (outputs?.length) {
    const m = decodeModel(bytes, file);
    select(m);
    inlineExternalData(m.graph!, file);
    asWritten = { bytes: onnx.ModelProto.encode(m).finish() };
  }
  const m = decodeModel(bytes, file);
  select(m);
  const what: string[] = [];
  if (upcastFloat16(m.graph!, file)) what.push('float16 upcast to float32');
  const pairs = bypassFakeQuant(m.graph!);
  if (pairs) what.push(`${pairs} activation QuantizeLinear→DequantizeLinear pair(s) bypassed`);
  const hasDynamicQuant = (m.graph!.node ?? []).some((n) => n.opType === 'DynamicQuantizeLinear');
  if (hasDynamicQuant) inlineExternalData(m.graph!, file); // the rewrite reads the weights
  const chains = hasDynamicQuant ? rewriteDynamicQuant(m.graph!) : 0;
  if (chains) what.push(`${chains} dynamic-quantized MatMul / Conv chain(s) as float on the dequantized weights`);
  if (!what.length) return { asWritten };
  inlineExternalData(m.graph!, file);
  return { asWritten, float: { bytes: onnx.ModelProto.encode(m).finish(), what } };
}
