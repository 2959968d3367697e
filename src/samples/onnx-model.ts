/**
 * Builds ONNX models in TypeScript with onnx-proto: nodes with typed
 * attributes, initializers (raw_data or typed fields, optionally external),
 * graph inputs/outputs with (possibly symbolic) shapes, and an opset.
 * Used by the sample models (`npm run demo`, `npm run bench`) and by tests.
 */
import onnxProto from 'onnx-proto';
import type { TypedArray } from '../ir/dtype.js';
import { numElements } from '../ir/tensor.js';
import { internalError } from '../core/errors.js';

const { onnx } = onnxProto;

export type OnnxDType =
  | 'float32' | 'uint8' | 'int8' | 'uint16' | 'int16' | 'int32' | 'int64'
  | 'string' | 'bool' | 'float16' | 'float64' | 'uint32' | 'uint64';

/** ONNX TensorProto.DataType codes. */
export const ONNX_DTYPE_CODE: Record<OnnxDType, number> = {
  float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7,
  string: 8, bool: 9, float16: 10, float64: 11, uint32: 12, uint64: 13,
};

/** Tensor data accepted by initializers and tensor attributes. */
export type TensorData = number[] | bigint[] | TypedArray;

export interface OnnxTensorSpec {
  name: string;
  /** Default 'float32'. For 'float16' pass the raw half bits (Uint16Array or numbers). */
  dtype?: OnnxDType;
  shape: number[];
  data: TensorData;
  /** 'raw' (default, as PyTorch exports) writes raw_data; 'typed' writes float_data / int32_data / int64_data / …. */
  storage?: 'raw' | 'typed';
  /** Store the data in an external file (path relative to the model); see `buildOnnxModelFiles`. */
  externalLocation?: string;
}

/** A typed attribute value. Plain values are inferred: integer number → INT, other number → FLOAT,
 * string → STRING, array of integers → INTS, other number array → FLOATS, string[] → STRINGS.
 * Use the wrappers (`attr.float(1)`, `attr.floats([1, 2])`) where inference would pick INT. */
export type AttrValue =
  | number
  | string
  | number[]
  | string[]
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string }
  | { kind: 'strings'; value: string[] }
  | { kind: 'tensor'; value: Omit<OnnxTensorSpec, 'name'> & { name?: string } };

export const attr = {
  int: (value: number): AttrValue => ({ kind: 'int', value }),
  float: (value: number): AttrValue => ({ kind: 'float', value }),
  ints: (value: number[]): AttrValue => ({ kind: 'ints', value }),
  floats: (value: number[]): AttrValue => ({ kind: 'floats', value }),
  string: (value: string): AttrValue => ({ kind: 'string', value }),
  strings: (value: string[]): AttrValue => ({ kind: 'strings', value }),
  tensor: (value: Omit<OnnxTensorSpec, 'name'> & { name?: string }): AttrValue => ({ kind: 'tensor', value }),
};

export interface OnnxNodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attrs?: Record<string, AttrValue>;
  /** Default '' (ai.onnx). */
  domain?: string;
}

export interface OnnxValueSpec {
  name: string;
  /** Default 'float32'. */
  dtype?: OnnxDType;
  /** A number is a fixed dim, a string a symbolic dim (dim_param); omit the shape for an unknown rank. */
  shape?: Array<number | string>;
}

export interface OnnxModelSpec {
  nodes: OnnxNodeSpec[];
  inputs: OnnxValueSpec[];
  outputs: OnnxValueSpec[];
  initializers?: OnnxTensorSpec[];
  /** Intermediate value_info entries (optional shape hints). */
  valueInfo?: OnnxValueSpec[];
  /** ai.onnx opset version; default 13. */
  opset?: number;
  /** Extra opset imports, e.g. { 'com.microsoft': 1 }. */
  extraOpsets?: Record<string, number>;
  /** Default 8. */
  irVersion?: number;
  graphName?: string;
  producerName?: string;
}

const encoder = new TextEncoder();

function isIntegerArray(v: readonly number[]): boolean {
  return v.every((x) => Number.isInteger(x));
}

function bytesOfArray(dtype: OnnxDType, data: TensorData): Uint8Array {
  const n = data.length;
  let arr: ArrayBufferView;
  const src = data as ArrayLike<number | bigint>;
  switch (dtype) {
    case 'float32': arr = Float32Array.from(src as ArrayLike<number>, Number); break;
    case 'float64': arr = Float64Array.from(src as ArrayLike<number>, Number); break;
    case 'int8': arr = Int8Array.from(src as ArrayLike<number>, Number); break;
    case 'uint8': case 'bool': arr = Uint8Array.from(src as ArrayLike<number>, Number); break;
    case 'int16': arr = Int16Array.from(src as ArrayLike<number>, Number); break;
    case 'uint16': case 'float16': arr = Uint16Array.from(src as ArrayLike<number>, Number); break;
    case 'int32': arr = Int32Array.from(src as ArrayLike<number>, Number); break;
    case 'uint32': arr = Uint32Array.from(src as ArrayLike<number>, Number); break;
    case 'int64': { const a = new BigInt64Array(n); for (let i = 0; i < n; i++) a[i] = BigInt(src[i]!); arr = a; break; }
    case 'uint64': { const a = new BigUint64Array(n); for (let i = 0; i < n; i++) a[i] = BigInt(src[i]!); arr = a; break; }
    case 'string': throw internalError('onnx-model: string tensors are not supported');
  }
  return new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
}

/** A TensorProto (plain object for onnx-proto) from a spec; `external` collects external data files. */
export function tensorProto(spec: OnnxTensorSpec, external?: Map<string, Uint8Array[]>): InstanceType<typeof onnx.TensorProto> {
  const dtype = spec.dtype ?? 'float32';
  const count = numElements(spec.shape);
  if (spec.data.length !== count) {
    throw internalError(`onnx-model: tensor '${spec.name}' has ${spec.data.length} values, shape [${spec.shape}] needs ${count}`);
  }
  const t = onnx.TensorProto.create({ name: spec.name, dims: spec.shape, dataType: ONNX_DTYPE_CODE[dtype] });
  if (spec.externalLocation && external) {
    const bytes = bytesOfArray(dtype, spec.data);
    const chunks = external.get(spec.externalLocation) ?? [];
    const offset = chunks.reduce((a, c) => a + c.byteLength, 0);
    chunks.push(bytes.slice());
    external.set(spec.externalLocation, chunks);
    t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    t.externalData = [
      { key: 'location', value: spec.externalLocation },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(bytes.byteLength) },
    ];
    return t;
  }
  if ((spec.storage ?? 'raw') === 'raw') {
    t.rawData = bytesOfArray(dtype, spec.data).slice();
    return t;
  }
  const nums = Array.from(spec.data as ArrayLike<number | bigint>, Number);
  switch (dtype) {
    case 'float32': t.floatData = nums; break;
    case 'float64': t.doubleData = nums; break;
    case 'int64': t.int64Data = nums; break;
    case 'uint32': case 'uint64': t.uint64Data = nums; break;
    default: t.int32Data = nums; break;
  }
  return t;
}

function attributeProto(name: string, v: AttrValue): InstanceType<typeof onnx.AttributeProto> {
  const T = onnx.AttributeProto.AttributeType;
  const a = onnx.AttributeProto.create({ name });
  if (typeof v === 'number') {
    if (Number.isInteger(v)) Object.assign(a, { type: T.INT, i: v });
    else Object.assign(a, { type: T.FLOAT, f: v });
  } else if (typeof v === 'string') Object.assign(a, { type: T.STRING, s: encoder.encode(v) });
  else if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') Object.assign(a, { type: T.STRINGS, strings: (v as string[]).map((s) => encoder.encode(s)) });
    else if (isIntegerArray(v as number[])) Object.assign(a, { type: T.INTS, ints: v });
    else Object.assign(a, { type: T.FLOATS, floats: v });
  } else {
    switch (v.kind) {
      case 'int': Object.assign(a, { type: T.INT, i: v.value }); break;
      case 'float': Object.assign(a, { type: T.FLOAT, f: v.value }); break;
      case 'ints': Object.assign(a, { type: T.INTS, ints: v.value }); break;
      case 'floats': Object.assign(a, { type: T.FLOATS, floats: v.value }); break;
      case 'string': Object.assign(a, { type: T.STRING, s: encoder.encode(v.value) }); break;
      case 'strings': Object.assign(a, { type: T.STRINGS, strings: v.value.map((s) => encoder.encode(s)) }); break;
      case 'tensor': Object.assign(a, { type: T.TENSOR, t: tensorProto({ name: v.value.name ?? name, ...v.value }) }); break;
    }
  }
  return a;
}

function valueInfo(v: OnnxValueSpec) {
  const tensorType: Record<string, unknown> = { elemType: ONNX_DTYPE_CODE[v.dtype ?? 'float32'] };
  if (v.shape) tensorType.shape = { dim: v.shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
  return onnx.ValueInfoProto.create({ name: v.name, type: { tensorType } });
}

/** The model bytes plus the external data files its initializers refer to (name → bytes). */
export function buildOnnxModelFiles(spec: OnnxModelSpec): { model: Uint8Array; externalFiles: Map<string, Uint8Array> } {
  const external = new Map<string, Uint8Array[]>();
  const graph = onnx.GraphProto.create({
    name: spec.graphName ?? 'main',
    node: spec.nodes.map((n, i) =>
      onnx.NodeProto.create({
        name: n.name ?? `${n.op}_${i}`,
        opType: n.op,
        domain: n.domain ?? '',
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attributeProto(k, v)),
      }),
    ),
    initializer: (spec.initializers ?? []).map((t) => tensorProto(t, external)),
    input: spec.inputs.map(valueInfo),
    output: spec.outputs.map(valueInfo),
    valueInfo: (spec.valueInfo ?? []).map(valueInfo),
  });
  const opsetImport = [{ domain: '', version: spec.opset ?? 13 }];
  for (const [domain, version] of Object.entries(spec.extraOpsets ?? {})) opsetImport.push({ domain, version });
  const model = onnx.ModelProto.create({
    irVersion: spec.irVersion ?? 8,
    producerName: spec.producerName ?? 'mai-onnx-builder',
    opsetImport,
    graph,
  });
  const bytes = onnx.ModelProto.encode(model).finish();
  const externalFiles = new Map<string, Uint8Array>();
  for (const [name, chunks] of external) {
    const total = chunks.reduce((a, c) => a + c.byteLength, 0);
    const buf = new Uint8Array(total);
    let off = 0;
    for (const c of chunks) {
      buf.set(c, off);
      off += c.byteLength;
    }
    externalFiles.set(name, buf);
  }
  return { model: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), externalFiles };
}

/** Serialized ONNX ModelProto. Initializers with `externalLocation` need `buildOnnxModelFiles`. */
export function buildOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const { model, externalFiles } = buildOnnxModelFiles(spec);
  if (externalFiles.size) throw internalError('onnx-model: the model has external data; use buildOnnxModelFiles to get the data files');
  return model;
}

/**
 * Incremental builder: `const b = new OnnxGraphBuilder(); const x = b.input('x', [1,3,8,8]);
 * const y = b.node('Relu', [x]); b.output(y, [1,3,8,8]); b.build()`.
 * Node outputs get unique names unless given.
 */
export class OnnxGraphBuilder {
  readonly spec: Required<Pick<OnnxModelSpec, 'nodes' | 'inputs' | 'outputs' | 'initializers' | 'valueInfo'>> & OnnxModelSpec;
  private counter = 0;

  constructor(opts: { opset?: number; graphName?: string } = {}) {
    this.spec = { nodes: [], inputs: [], outputs: [], initializers: [], valueInfo: [], opset: opts.opset ?? 13, graphName: opts.graphName };
  }

  /** A fresh name starting with `base`. */
  name(base: string): string {
    return `${base}_${this.counter++}`;
  }

  input(name: string, shape: Array<number | string>, dtype: OnnxDType = 'float32'): string {
    this.spec.inputs.push({ name, shape, dtype });
    return name;
  }

  /** Adds an initializer and returns its name (float32 unless `dtype` says otherwise). */
  init(name: string, shape: number[], data: TensorData, dtype: OnnxDType = 'float32', extra: Pick<OnnxTensorSpec, 'storage' | 'externalLocation'> = {}): string {
    this.spec.initializers.push({ name, shape, data, dtype, ...extra });
    return name;
  }

  /** Adds a node; returns its output names (fresh names unless `outputs` is given). */
  nodeMulti(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, outputs: string[] | number = 1): string[] {
    const outs = typeof outputs === 'number' ? Array.from({ length: outputs }, () => this.name(op.toLowerCase())) : outputs;
    this.spec.nodes.push({ op, inputs, outputs: outs, attrs, name: this.name(`${op}_node`) });
    return outs;
  }

  /** Adds a single-output node and returns its output name. */
  node(op: string, inputs: string[], attrs: Record<string, AttrValue> = {}, output?: string): string {
    return this.nodeMulti(op, inputs, attrs, output ? [output] : 1)[0]!;
  }

  output(name: string, shape?: Array<number | string>, dtype: OnnxDType = 'float32'): void {
    this.spec.outputs.push({ name, shape, dtype });
  }

  build(): Uint8Array {
    return buildOnnxModel(this.spec);
  }
}
