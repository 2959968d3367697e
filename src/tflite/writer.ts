/**
 * IR Graph → .tflite bytes (schema version 3, identifier TFL3).
 *
 * Layout decisions: buffers[0] is the empty sentinel; every constant tensor
 * gets its own Buffer whose data starts on a 16-byte boundary (binary metadata
 * too; text metadata is 4-aligned); names, shapes, quantization vectors and
 * index lists are written once per distinct value and fill the padding in front
 * of the aligned buffers where they fit (leaf-pool.ts); operator codes
 * are de-duplicated by (builtin, version, custom code) with
 * deprecated_builtin_code = min(code, 127); a SignatureDef `serving_default`;
 * metadata `min_runtime_version` (16 zero-padded bytes, as the converter
 * writes it). The Builder is sized up front from the summed buffer sizes so a
 * large model is copied once into the output and never regrown; deferred
 * constants (permuted source weights) are permuted straight into it. A model
 * whose buffers pass the 2 GiB FlatBuffers limit is written in TFLite's
 * large-model layout: its constants after the flatbuffer, each Buffer naming
 * its offset and size in the file.
 */
import { Builder } from 'flatbuffers';
import type { Graph, Signature } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import type { Tensor } from '../ir/tensor.js';
import { DTYPE_SIZE, bytesOf } from '../ir/dtype.js';
import { numElements } from '../ir/tensor.js';
import { deferredData } from '../ir/deferred-data.js';
import { inputError, type NodeDiagnostic } from '../core/errors.js';
import type { BytesWithHoles } from '../core/fs-atomic.js';
import { BUILTIN_OPERATOR, type BuiltinOpName } from './schema/enums.js';
import { TableWriter, alignedByteVector, filledByteVector, reservedByteVector, offsetVector } from './fb-write.js';
import { LeafPool, type LeafId } from './leaf-pool.js';
import { tensorTypeOf } from './dtype-map.js';
import { OPS_TABLE, opVersion } from './ops-table.js';
import { minRuntimeVersion } from './op-versions.js';
import { emitRawTable, rawOptionsProblem } from './raw-options.js';
import { encodeStrings } from './string-tensor.js';

export const TFLITE_SCHEMA_VERSION = 3;
export const TFLITE_IDENTIFIER = 'TFL3';
/**
 * Metadata entry with what TFLite cannot hold but the IR has: node names (and
 * source nodes) and the layout tags that differ from the reader's default
 * rule (4-D → NHWC, else plain). JSON: { nodes: [entry], layouts: {tensor: tag} }, a node's entry
 * (irNodeEntry) being 0 (named after its first output, no source), name (no source), [name] (its
 * own source) or [name, source].
 */
export const IR_METADATA = 'mai_ir';
export const MIN_RUNTIME_METADATA = 'min_runtime_version';
/** Prefix of a metadata value that holds binary bytes (base64) rather than text. */
export const BINARY_METADATA_PREFIX = 'data:application/octet-stream;base64,';
const BUFFER_ALIGN = 16;
/** FlatBuffers offsets are 32-bit signed: a buffer stays below 2 GiB. */
const FLATBUFFER_LIMIT = 2 ** 31 - 1;
const SUBGRAPH_OPS = new Set<string>(['IF', 'WHILE', 'CALL', 'CALL_ONCE', 'STABLEHLO_COMPOSITE', 'STABLEHLO_CASE', 'STABLEHLO_WHILE', 'STABLEHLO_REDUCE', 'STABLEHLO_REDUCE_WINDOW', 'STABLEHLO_SORT', 'STABLEHLO_SCATTER']);

interface PlannedOp {
  node: Node;
  code: number;
  version: number;
  customCode?: string;
  opcodeIndex: number;
}

/** A node's entry in the `mai_ir` metadata, in its shortest form (the reader's default name is the node's first output). */
export function irNodeEntry(n: Node): 0 | string | [string] | [string, string] {
  if (n.sourceNode === undefined) return n.outputs[0] && n.name === n.outputs[0] ? 0 : n.name;
  return n.sourceNode === n.name ? [n.name] : [n.name, n.sourceNode];
}

/** The layout tag the reader gives a tensor of this shape when the file says nothing else. */
export function defaultLayout(shape: readonly number[]): 'NHWC' | 'plain' {
  return shape.length === 4 ? 'NHWC' : 'plain';
}

function textBytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** A metadata value's bytes; binary ones (e.g. a nested flatbuffer) keep the buffers' 16-byte alignment, text needs none. */
function metadataBytes(value: string): { bytes: Uint8Array; binary: boolean } {
  if (value.startsWith(BINARY_METADATA_PREFIX)) return { bytes: new Uint8Array(Buffer.from(value.slice(BINARY_METADATA_PREFIX.length), 'base64')), binary: true };
  return { bytes: textBytes(value), binary: false };
}

/** A constant's bytes as the writer stores them: how many, and how to put them in place. */
interface ConstantPayload {
  byteLength: number;
  fill(dst: Uint8Array): void;
}

function bytesPayload(bytes: Uint8Array): ConstantPayload {
  return { byteLength: bytes.byteLength, fill: (dst) => dst.set(bytes) };
}

/** Deferred data (permuted source weights) is filled straight into the output, never materialized. */
function constantPayload(t: Tensor): ConstantPayload | undefined {
  if (t.strings) return bytesPayload(encodeStrings(t.strings));
  const payload = deferredData(t) ?? (t.data ? bytesPayload(bytesOf(t.data)) : undefined);
  if (!payload) return undefined;
  const want = numElements(t.shape) * DTYPE_SIZE[t.dtype];
  if (payload.byteLength !== want) {
    throw inputError('invalid-model', `constant tensor '${t.name}' (${t.dtype} [${t.shape}]) needs ${want} bytes but holds ${payload.byteLength}`);
  }
  return payload;
}

interface TensorLeaves {
  name: LeafId;
  shape: LeafId;
  signature?: LeafId;
  min?: LeafId;
  max?: LeafId;
  scale?: LeafId;
  zeroPoint?: LeafId;
}

/** The tensor's name, shape and quantization vectors as leaves; throws for quantization parameters TFLite cannot hold. */
function tensorLeafIds(pool: LeafPool, t: Tensor): TensorLeaves {
  const leaves: TensorLeaves = { name: pool.string(t.name), shape: pool.int32s(t.shape) };
  if (t.shapeSignature) leaves.signature = pool.int32s(t.shapeSignature);
  const q = t.quant;
  if (!q) return leaves;
  if (q.scale.length !== q.zeroPoint.length) {
    throw inputError('invalid-model', `tensor '${t.name}': ${q.scale.length} quantization scales but ${q.zeroPoint.length} zero points`);
  }
  if (!q.zeroPoint.every(Number.isInteger)) throw inputError('invalid-model', `tensor '${t.name}': quantization zero points must be integers, got [${q.zeroPoint.join(', ')}]`);
  if (!q.scale.every(Number.isFinite)) throw inputError('invalid-model', `tensor '${t.name}': quantization scales must be finite, got [${q.scale.join(', ')}]`);
  if (q.min) leaves.min = pool.float32s(q.min);
  if (q.max) leaves.max = pool.float32s(q.max);
  if (q.scale.length) leaves.scale = pool.float32s(q.scale);
  if (q.zeroPoint.length) leaves.zeroPoint = pool.int64s(q.zeroPoint);
  return leaves;
}

type OptionsWriter = { type: number; write: (b: Builder) => number };

/** The node's options writer, or why the node cannot be written. */
function optionsWriter(node: Node): OptionsWriter | string {
  if (node.attrs.rawOptions2) {
    return `node '${node.name}': ${node.op} carries builtin_options_2 (union type ${node.attrs.rawOptions2.type}), which the TFLite writer does not write`;
  }
  if (BUILTIN_OPERATOR[node.op] === undefined) return `node '${node.name}': '${node.op}' is not a TFLite builtin op`;
  const row = OPS_TABLE.get(node.op);
  if (row) return { type: row.optionsType, write: (b) => row.encode(b, node.attrs) };
  if (SUBGRAPH_OPS.has(node.op)) return `node '${node.name}': ${node.op} refers to other subgraphs, which the TFLite writer does not write (single-subgraph models only)`;
  const typed = Object.keys(node.attrs).filter((k) => k !== 'rawOptions' && k !== 'rawOptions2' && k !== 'customCode' && k !== 'customOptions' && (node.attrs as Record<string, unknown>)[k] !== undefined);
  if (typed.length) {
    return `node '${node.name}': op ${node.op} is not in the TFLite writer's op table, so its attributes (${typed.join(', ')}) cannot be encoded`;
  }
  const raw = node.attrs.rawOptions;
  if (!raw) return { type: 0, write: () => 0 };
  const problem = rawOptionsProblem(raw.type, raw.bytes);
  if (problem) return `node '${node.name}': op ${node.op} cannot be written again: ${problem}`;
  return { type: raw.type, write: (b) => emitRawTable(b, raw.bytes) };
}

/** Options writers for every node; throws one `unsupported-op` error listing every node that cannot be written. */
function optionsWriters(g: Graph): OptionsWriter[] {
  const out: OptionsWriter[] = [];
  const diagnostics: NodeDiagnostic[] = [];
  for (const n of g.nodes) {
    const w = optionsWriter(n);
    if (typeof w === 'string') diagnostics.push({ reason: 'unsupported-op', node: n.name, opType: n.op, message: w });
    else out.push(w);
  }
  if (diagnostics.length) {
    const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more node(s))` : '';
    throw inputError('unsupported-op', `${diagnostics[0]!.message}${more}`, {
      diagnostics,
      hint: 'ops the writer knows are listed in src/tflite/ops-table.ts',
    });
  }
  return out;
}

function defaultSignature(g: Graph): Signature {
  return {
    key: 'serving_default',
    inputs: g.inputs.map((t) => ({ name: t, tensor: t })),
    outputs: g.outputs.map((t) => ({ name: t, tensor: t })),
  };
}

export interface WriteOptions {
  /** Above this many bytes the constants go after the flatbuffer (default: the 2 GiB FlatBuffers limit; tests lower it). */
  flatbufferLimit?: number;
}

/** Serialize `g` as a .tflite flatbuffer. Throws MaiError (exit 2) for graphs it cannot express. */
export function writeTflite(g: Graph, opts: WriteOptions = {}): Uint8Array {
  const { bytes, holes } = writeTfliteWithHoles(g, opts);
  for (const h of holes) h.fill(bytes.subarray(h.offset, h.offset + h.length));
  return bytes;
}

/**
 * `writeTflite` that leaves every deferred constant (permuted source weights) unwritten: its
 * range of the buffer is never touched, so it takes no memory until a writer fills it — one
 * piece at a time on its way to the file (core/fs-atomic.ts writeFileAtomic).
 */
export function writeTfliteWithHoles(g: Graph, opts: WriteOptions = {}): BytesWithHoles {
  // --- tensor indices --------------------------------------------------------
  const tensors = [...g.tensors.values()];
  const index = new Map<string, number>(tensors.map((t, i) => [t.name, i]));
  const idx = (name: string, where: string): number => {
    if (name === '') return -1;
    const i = index.get(name);
    if (i === undefined) throw inputError('invalid-model', `${where} refers to tensor '${name}', which the graph does not have`);
    return i;
  };

  // --- operators and de-duplicated operator codes -----------------------------
  const opcodeKeys = new Map<string, number>();
  const opcodes: Array<{ code: number; version: number; customCode?: string }> = [];
  const planned: PlannedOp[] = [];
  const optionWriters = optionsWriters(g);
  // every tensor reference is checked before any bytes are copied
  for (const n of g.nodes) {
    for (const i of n.inputs) idx(i, `node '${n.name}' input`);
    for (const o of n.outputs) idx(o, `node '${n.name}' output`);
  }
  for (const i of g.inputs) idx(i, 'graph input');
  for (const o of g.outputs) idx(o, 'graph output');
  for (const m of [...(g.signature?.inputs ?? []), ...(g.signature?.outputs ?? [])]) idx(m.tensor, `signature entry '${m.name}'`);
  for (const node of g.nodes) {
    const code = BUILTIN_OPERATOR[node.op];
    const version = opVersion(node, g);
    const customCode = node.op === 'CUSTOM' ? (node.attrs.customCode ?? '') : undefined;
    const key = `${code}|${version}|${customCode ?? ''}`;
    let opcodeIndex = opcodeKeys.get(key);
    if (opcodeIndex === undefined) {
      opcodeIndex = opcodes.length;
      opcodeKeys.set(key, opcodeIndex);
      opcodes.push({ code, version, customCode });
    }
    planned.push({ node, code, version, customCode, opcodeIndex });
  }
  const runtime = minRuntimeVersion(planned.map((p) => ({ op: p.node.op as BuiltinOpName, version: p.version })));

  // --- metadata (user entries, node names, min_runtime_version) ---------------
  const metadata: Array<{ name: string; bytes: Uint8Array; binary?: boolean }> = [];
  for (const [name, value] of g.metadata) {
    if (name === MIN_RUNTIME_METADATA || name === IR_METADATA) continue;
    metadata.push({ name, ...metadataBytes(value) });
  }
  const layouts: Record<string, string> = {};
  for (const t of tensors) if (t.layout !== defaultLayout(t.shape)) layouts[t.name] = t.layout;
  const irInfo = { nodes: g.nodes.map(irNodeEntry), layouts };
  metadata.push({ name: IR_METADATA, bytes: textBytes(JSON.stringify(irInfo)) });
  const runtimeBytes = new Uint8Array(16);
  runtimeBytes.set(textBytes(runtime).subarray(0, 15));
  metadata.push({ name: MIN_RUNTIME_METADATA, bytes: runtimeBytes });

  // --- size the builder so it never grows -------------------------------------
  const constants = tensors.map(constantPayload);
  let dataBytes = 0;
  for (const c of constants) if (c) dataBytes += c.byteLength + BUFFER_ALIGN + 8;
  for (const m of metadata) dataBytes += m.bytes.byteLength + BUFFER_ALIGN + 8;
  let structBytes = 4096 + g.description.length * 3;
  for (const t of tensors) structBytes += 96 + t.name.length * 3 + 8 * t.shape.length + 16 * (t.quant?.scale.length ?? 0) + 8 * ((t.quant?.min?.length ?? 0) + (t.quant?.max?.length ?? 0));
  for (const n of g.nodes) structBytes += 160 + 4 * (n.inputs.length + n.outputs.length) + 4 * ((n.attrs.newShape?.length ?? 0) + (n.attrs.squeezeDims?.length ?? 0)) + (n.attrs.customOptions?.byteLength ?? 0) + (n.attrs.rawOptions?.bytes.byteLength ?? 0) * 2 + n.name.length * 3;
  // Above 2 GiB the constants go after the flatbuffer (TFLite's large-model layout: Buffer.offset / size
  // from the start of the file); the flatbuffer keeps the structure and the metadata.
  const external = dataBytes + structBytes > (opts.flatbufferLimit ?? FLATBUFFER_LIMIT);
  let constantBytes = 0;
  for (const c of constants) if (c) constantBytes += c.byteLength + BUFFER_ALIGN + 8;
  if (external && dataBytes - constantBytes + structBytes > (opts.flatbufferLimit ?? FLATBUFFER_LIMIT)) {
    throw inputError('model-too-large', `the model's structure and metadata need ${((dataBytes - constantBytes + structBytes) / 2 ** 30).toFixed(2)} GiB; a TFLite flatbuffer holds at most 2 GiB`);
  }
  // A multiple of 16: the finished buffer (padded to 16) then starts 16-aligned in its
  // ArrayBuffer, so a reader of the returned bytes gets zero-copy typed views.
  const b = new Builder(Math.ceil(((external ? dataBytes - constantBytes : dataBytes) + structBytes * 1.5) / 16) * 16);

  // --- leaves: every name, shape, quantization vector and index list, one object per distinct value,
  // registered first so that they can fill the padding in front of the 16-aligned buffers ---------------
  const pool = new LeafPool(b);
  const tensorLeaves = tensors.map((t) => tensorLeafIds(pool, t));
  const opLeaves = planned.map(({ node }) => ({
    inputs: pool.int32s(node.inputs.map((n) => idx(n, `node '${node.name}' input`))),
    outputs: pool.int32s(node.outputs.map((n) => idx(n, `node '${node.name}' output`))),
  }));
  const metadataLeaves = metadata.map((m) => ({ name: pool.string(m.name), data: m.binary ? undefined : pool.bytes(m.bytes) }));

  // --- buffer data first: it lands at the end of the file ---------------------
  const bufferData: number[] = [0];
  const tensorBuffer = new Array<number>(tensors.length).fill(0);
  const reserved: Array<{ at: number; length: number; fill(dst: Uint8Array): void }> = [];
  /** External constants: the Buffer table (its offset field is patched once the flatbuffer's size is known) and the payload. */
  const outside: Array<{ table: number; payload: ConstantPayload }> = [];
  constants.forEach((c, i) => {
    if (!c) return;
    tensorBuffer[i] = bufferData.length;
    if (external) {
      bufferData.push(-1 - outside.length);
      outside.push({ table: 0, payload: c });
      return;
    }
    const deferred = deferredData(tensors[i]!) === c;
    pool.fillGap(c.byteLength, BUFFER_ALIGN);
    bufferData.push(deferred ? reservedByteVector(b, c.byteLength, BUFFER_ALIGN, (at) => reserved.push({ at, length: c.byteLength, fill: c.fill })) : filledByteVector(b, c.byteLength, BUFFER_ALIGN, c.fill));
  });
  const metadataBuffer = metadata.map((m, i) => {
    const text = metadataLeaves[i]!.data;
    if (text === undefined) pool.fillGap(m.bytes.byteLength, BUFFER_ALIGN);
    bufferData.push(text === undefined ? alignedByteVector(b, m.bytes, BUFFER_ALIGN) : pool.at(text));
    return bufferData.length - 1;
  });
  const buffers = bufferData.map((data) => {
    if (data >= 0) return new TableWriter(b, 4).offset(4, data).end();
    // offset / size always written (default -1 never matches), so the patch below finds the offset field
    const o = outside[-1 - data]!;
    o.table = new TableWriter(b, 8).i64(6, 0n, -1n).i64(8, BigInt(o.payload.byteLength), -1n).end();
    return o.table;
  });

  // --- tensors --------------------------------------------------------------
  const at = (id: LeafId | undefined) => (id === undefined ? 0 : pool.at(id));
  const tensorOffsets = tensors.map((t, i) => {
    const leaves = tensorLeaves[i]!;
    const name = at(leaves.name);
    const shape = at(leaves.shape);
    const signature = at(leaves.signature);
    let quant = 0;
    if (t.quant) {
      const [min, max, scale, zp] = [at(leaves.min), at(leaves.max), at(leaves.scale), at(leaves.zeroPoint)];
      quant = new TableWriter(b, 16).offset(4, min).offset(6, max).offset(8, scale).offset(10, zp).i32(16, t.quant.axis ?? 0).end();
    }
    return new TableWriter(b, 18)
      .offset(4, shape)
      .u8(6, tensorTypeOf(t.dtype))
      .i32(8, tensorBuffer[i]!)
      .offset(10, name)
      .offset(12, quant)
      .bool(14, t.isVariable ?? false)
      .offset(18, signature)
      .end();
  });

  // --- operators ------------------------------------------------------------
  const operatorOffsets = planned.map((p, k) => {
    const { node } = p;
    const inputs = pool.at(opLeaves[k]!.inputs);
    const outputs = pool.at(opLeaves[k]!.outputs);
    const ow = optionWriters[k]!;
    const options = ow.write(b);
    const custom = node.attrs.customOptions ? alignedByteVector(b, node.attrs.customOptions, 1) : 0;
    return new TableWriter(b, 16)
      .i32(4, p.opcodeIndex)
      .offset(6, inputs)
      .offset(8, outputs)
      .u8(10, options ? ow.type : undefined)
      .offset(12, options)
      .offset(14, custom)
      .end();
  });

  const opcodeOffsets = opcodes.map((o) => {
    const custom = o.customCode !== undefined ? pool.at(pool.string(o.customCode)) : 0;
    return new TableWriter(b, 10)
      .u8(4, Math.min(o.code, 127))
      .offset(6, custom)
      .i32(8, o.version, 1)
      .i32(10, o.code)
      .end();
  });

  // --- subgraph -----------------------------------------------------------------
  const sgTensors = offsetVector(b, tensorOffsets);
  const sgInputs = pool.at(pool.int32s(g.inputs.map((n) => idx(n, 'graph input'))));
  const sgOutputs = pool.at(pool.int32s(g.outputs.map((n) => idx(n, 'graph output'))));
  const sgOps = offsetVector(b, operatorOffsets);
  const sgName = pool.at(pool.string('main'));
  const subgraph = new TableWriter(b, 12).offset(4, sgTensors).offset(6, sgInputs).offset(8, sgOutputs).offset(10, sgOps).offset(12, sgName).end();

  // --- signature ------------------------------------------------------------------
  const sig = g.signature ?? defaultSignature(g);
  const tensorMaps = (list: Signature['inputs'], what: string) =>
    offsetVector(
      b,
      list.map((m) => {
        const name = pool.at(pool.string(m.name));
        return new TableWriter(b, 6).offset(4, name).i32(6, idx(m.tensor, `signature ${what} '${m.name}'`)).end();
      }),
    );
  const sigInputs = tensorMaps(sig.inputs, 'input');
  const sigOutputs = tensorMaps(sig.outputs, 'output');
  const sigKey = pool.at(pool.string(sig.key));
  const signatureDef = new TableWriter(b, 12).offset(4, sigInputs).offset(6, sigOutputs).offset(8, sigKey).i32(12, 0).end();

  // --- metadata tables ---------------------------------------------------------------
  const metadataOffsets = metadata.map((_, i) => {
    const name = pool.at(metadataLeaves[i]!.name);
    return new TableWriter(b, 6).offset(4, name).i32(6, metadataBuffer[i]!).end();
  });

  // --- model --------------------------------------------------------------------------
  const opcodesVec = offsetVector(b, opcodeOffsets);
  const subgraphsVec = offsetVector(b, [subgraph]);
  const description = pool.at(pool.string(g.description));
  const buffersVec = offsetVector(b, buffers);
  const metadataVec = offsetVector(b, metadataOffsets);
  const signaturesVec = offsetVector(b, [signatureDef]);
  const model = new TableWriter(b, 18)
    .i32(4, TFLITE_SCHEMA_VERSION)
    .offset(6, opcodesVec)
    .offset(8, subgraphsVec)
    .offset(10, description)
    .offset(12, buffersVec)
    .offset(16, metadataVec)
    .offset(18, signaturesVec)
    .end();
  b.finish(model, TFLITE_IDENTIFIER);
  const bytes = b.asUint8Array();
  const start = b.dataBuffer().position(); // asUint8Array is a view from the builder's current position
  if (external) return withExternalBuffers(b, bytes, outside);
  const holes = reserved.map((r) => ({ offset: r.at - start, length: r.length, fill: r.fill }));
  return { bytes, holes: holes.sort((x, y) => x.offset - y.offset) };
}

/**
 * The large-model layout: the flatbuffer, then each external constant 16-aligned, its Buffer's
 * offset field set to where it lands. The returned bytes are the whole file; the constants' ranges
 * are holes (zero pages until a writer fills them, one at a time on their way to the file).
 */
function withExternalBuffers(b: Builder, flat: Uint8Array, outside: ReadonlyArray<{ table: number; payload: ConstantPayload }>): BytesWithHoles {
  const bb = b.dataBuffer();
  let end = flat.byteLength;
  const placed = outside.map((o) => {
    const at = Math.ceil(end / BUFFER_ALIGN) * BUFFER_ALIGN;
    end = at + o.payload.byteLength;
    // the table's position in the finished buffer, then its offset field (vtable slot 6) in it
    const table = bb.capacity() - o.table;
    bb.writeUint64(table + bb.__offset(table, 6), BigInt(at));
    return { offset: at, length: o.payload.byteLength, fill: o.payload.fill };
  });
  const bytes = new Uint8Array(Math.ceil(end / BUFFER_ALIGN) * BUFFER_ALIGN);
  bytes.set(flat.subarray(0, flat.byteLength));
  return { bytes, holes: placed };
}
