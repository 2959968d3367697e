/**
 * .tflite bytes → IR Graph. Reads any TFLite model (ours or Google's): the
 * first subgraph's tensors (constant data as zero-copy views into `bytes`
 * where aligned), operators (typed attrs for OPS_TABLE ops; name, version and
 * raw options for the rest), signature, metadata and description. Every
 * offset is bounds-checked: bad input throws MaiError `tflite-decode-failed`
 * (exit 2) naming the file.
 */
import { Graph, type Signature } from '../ir/graph.js';
import type { Attrs, Node } from '../ir/node.js';
import type { QuantParams, Tensor } from '../ir/tensor.js';
import { numElements } from '../ir/tensor.js';
import { DTYPE_SIZE, viewAs } from '../ir/dtype.js';
import { inputError, isMaiError } from '../core/errors.js';
import { BUILTIN_OPERATOR, type BuiltinOpName } from './schema/enums.js';
import { FbDecodeError, FbReader, type FbTable } from './fb-read.js';
import { dtypeOfTensorType, tensorTypeName } from './dtype-map.js';
import { OPS_TABLE } from './ops-table.js';
import { captureTable } from './raw-options.js';
import { decodeStrings } from './string-tensor.js';
import { BINARY_METADATA_PREFIX, IR_METADATA, TFLITE_IDENTIFIER, TFLITE_SCHEMA_VERSION, defaultLayout } from './writer.js';

const OP_NAME = new Map<number, BuiltinOpName>(Object.entries(BUILTIN_OPERATOR).map(([k, v]) => [v, k as BuiltinOpName]));

interface RawBuffer {
  data?: Uint8Array;
}

/** The data of buffer `i`: the `data` vector, or the 3c out-of-flatbuffer `offset`/`size` region. */
function readBuffers(r: FbReader, model: FbTable): RawBuffer[] {
  return r.tables(model, 12, 'Model.buffers').map((bt, i) => {
    const data = r.byteVector(bt, 4, `buffers[${i}].data`);
    if (data) return { data };
    const offset = r.fieldU64(bt, 6, 0n);
    const size = r.fieldU64(bt, 8, 0n);
    if (offset > 1n) {
      const start = Number(offset);
      const len = Number(size);
      r.check(start, len, `buffers[${i}] (offset ${offset}, size ${size})`);
      return { data: r.bytes.subarray(start, start + len) };
    }
    return {};
  });
}

function readQuant(r: FbReader, qt: FbTable, what: string): QuantParams | undefined {
  const scale = r.float32s(qt, 8, `${what}.scale`);
  const zeroPoint = r.int64sAsNumbers(qt, 10, `${what}.zero_point`);
  const min = r.float32s(qt, 4, `${what}.min`);
  const max = r.float32s(qt, 6, `${what}.max`);
  const axis = r.fieldI32(qt, 16, 0);
  if (!scale?.length && !min?.length && !max?.length) return undefined;
  if (r.fieldU8(qt, 12, 0) !== 0) throw new FbDecodeError(`${what} uses custom/blockwise quantization details, which mai does not read`);
  const q: QuantParams = { scale: scale ?? [], zeroPoint: zeroPoint ?? [] };
  if ((scale?.length ?? 0) > 1 || axis !== 0) q.axis = axis;
  if (min?.length) q.min = min;
  if (max?.length) q.max = max;
  return q;
}

function metadataText(bytes: Uint8Array): string {
  let end = bytes.byteLength;
  while (end > 0 && bytes[end - 1] === 0) end--;
  const body = bytes.subarray(0, end);
  if (!body.includes(0)) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      // binary: fall through
    }
  }
  return BINARY_METADATA_PREFIX + Buffer.from(bytes).toString('base64');
}

function decodeModel(bytes: Uint8Array): Graph {
  if (bytes.byteLength < 8) throw new FbDecodeError(`${bytes.byteLength} bytes is too small to be a TFLite model`);
  const ident = String.fromCharCode(...bytes.subarray(4, 8));
  if (ident !== TFLITE_IDENTIFIER) {
    throw new FbDecodeError(`file identifier is '${ident.replace(/[^\x20-\x7e]/g, '?')}', not '${TFLITE_IDENTIFIER}': not a TFLite flatbuffer`);
  }
  const r = new FbReader(bytes);
  const model = r.table(r.indirect(0), 'Model');
  const version = r.fieldU32(model, 4, 0);
  if (version !== TFLITE_SCHEMA_VERSION) throw new FbDecodeError(`schema version ${version}, expected ${TFLITE_SCHEMA_VERSION}`);

  const opcodes = r.tables(model, 6, 'Model.operator_codes').map((t, i) => {
    const deprecated = r.fieldI8(t, 4, 0);
    const builtin = r.fieldI32(t, 10, 0);
    const code = Math.max(deprecated, builtin);
    const op = OP_NAME.get(code);
    if (!op) throw new FbDecodeError(`operator_codes[${i}] has unknown builtin code ${code}`);
    return { op, version: r.fieldI32(t, 8, 1), customCode: r.string(t, 6, `operator_codes[${i}].custom_code`) };
  });
  const buffers = readBuffers(r, model);
  const subgraphs = r.tables(model, 8, 'Model.subgraphs');
  const sg = subgraphs[0];
  if (!sg) throw new FbDecodeError('the model has no subgraph');

  const g = new Graph();
  g.description = r.string(model, 10, 'Model.description') ?? '';

  // --- tensors ------------------------------------------------------------------
  const names: string[] = [];
  const taken = new Set<string>();
  r.tables(sg, 4, 'SubGraph.tensors').forEach((tt, i) => {
    const what = `tensor ${i}`;
    let name = r.string(tt, 10, `${what}.name`) || `tensor_${i}`;
    if (taken.has(name)) name = `${name}__${i}`;
    taken.add(name);
    names.push(name);
    const typeCode = r.fieldU8(tt, 6, 0);
    const dtype = dtypeOfTensorType(typeCode);
    if (!dtype) throw new FbDecodeError(`tensor '${name}' has type ${tensorTypeName(typeCode)}, which mai does not represent`);
    if (r.has(tt, 16)) throw new FbDecodeError(`tensor '${name}' is sparse; mai does not read sparse tensors`);
    const shape = r.int32s(tt, 4, `${what}.shape`) ?? [];
    const t: Tensor = { name, dtype, shape, layout: defaultLayout(shape) };
    const signature = r.int32s(tt, 18, `${what}.shape_signature`);
    if (signature) t.shapeSignature = signature;
    const qt = r.subTable(tt, 12, `${what}.quantization`);
    if (qt) {
      const q = readQuant(r, qt, `tensor '${name}' quantization`);
      if (q) t.quant = q;
    }
    if (r.fieldBool(tt, 14, false)) t.isVariable = true;
    const bi = r.fieldU32(tt, 8, 0);
    if (bi !== 0) {
      const buf = buffers[bi];
      if (!buf) throw new FbDecodeError(`tensor '${name}' refers to buffer ${bi}, but the model has ${buffers.length}`);
      const data = buf.data;
      if (data && (data.byteLength > 0 || numElements(shape) === 0)) {
        if (dtype === 'string') t.strings = decodeStrings(data, `tensor '${name}'`);
        else {
          const want = numElements(shape) * DTYPE_SIZE[dtype];
          if (data.byteLength !== want) throw new FbDecodeError(`tensor '${name}' requires ${want} bytes, but its buffer holds ${data.byteLength}`);
          t.data = viewAs(dtype, data);
        }
      }
    }
    g.addTensor(t);
  });
  const tensorName = (i: number, where: string): string => {
    if (i === -1) return '';
    const n = names[i];
    if (n === undefined) throw new FbDecodeError(`${where} refers to tensor ${i}, but the subgraph has ${names.length}`);
    return n;
  };
  g.inputs = (r.int32s(sg, 6, 'SubGraph.inputs') ?? []).map((i) => tensorName(i, 'subgraph input'));
  g.outputs = (r.int32s(sg, 8, 'SubGraph.outputs') ?? []).map((i) => tensorName(i, 'subgraph output'));

  // --- metadata -------------------------------------------------------------------
  let irInfo: { nodes?: unknown; layouts?: unknown } = {};
  r.tables(model, 16, 'Model.metadata').forEach((mt, i) => {
    const name = r.string(mt, 4, `metadata[${i}].name`) ?? `metadata_${i}`;
    const bi = r.fieldU32(mt, 6, 0);
    const buf = buffers[bi];
    if (!buf) throw new FbDecodeError(`metadata '${name}' refers to buffer ${bi}, but the model has ${buffers.length}`);
    const bytesOfEntry = buf.data ?? new Uint8Array(0);
    if (name === IR_METADATA) {
      try {
        const parsed: unknown = JSON.parse(new TextDecoder().decode(bytesOfEntry));
        if (parsed && typeof parsed === 'object') irInfo = parsed as typeof irInfo;
      } catch {
        // not ours after all: ignore it
      }
      return;
    }
    g.metadata.set(name, metadataText(bytesOfEntry));
  });
  if (irInfo.layouts && typeof irInfo.layouts === 'object') {
    for (const [name, tag] of Object.entries(irInfo.layouts as Record<string, unknown>)) {
      const t = g.tensors.get(name);
      if (t && (tag === 'NHWC' || tag === 'NCHW' || tag === 'plain')) t.layout = tag;
    }
  }
  const nodeNames = irInfo.nodes;

  // --- operators ------------------------------------------------------------------
  const ops = r.tables(sg, 10, 'SubGraph.operators');
  const stored = Array.isArray(nodeNames) && nodeNames.length === ops.length ? (nodeNames as unknown[]) : undefined;
  const usedNames = new Set<string>();
  ops.forEach((ot, k) => {
    const where = `operator ${k}`;
    const oi = r.fieldU32(ot, 4, 0);
    const code = opcodes[oi];
    if (!code) throw new FbDecodeError(`${where} uses opcode ${oi}, but the model has ${opcodes.length}`);
    const inputs = (r.int32s(ot, 6, `${where}.inputs`) ?? []).map((i) => tensorName(i, `${where} (${code.op}) input`));
    const outputs = (r.int32s(ot, 8, `${where}.outputs`) ?? []).map((i) => tensorName(i, `${where} (${code.op}) output`));
    const optType = r.fieldU8(ot, 10, 0);
    const optTable = optType !== 0 ? r.subTable(ot, 12, `${where}.builtin_options`) : undefined;
    const row = OPS_TABLE.get(code.op);
    let attrs: Attrs;
    if (row) {
      if (optTable && optType !== row.optionsType) throw new FbDecodeError(`${where} (${code.op}) carries options of union type ${optType}, expected ${row.optionsType} (${row.options})`);
      attrs = row.decode(r, optTable);
    } else {
      attrs = {};
      if (optTable) attrs.rawOptions = { type: optType, bytes: captureTable(r, optTable) };
    }
    if (code.op === 'CUSTOM') attrs.customCode = code.customCode ?? '';
    const custom = r.byteVector(ot, 14, `${where}.custom_options`);
    if (custom) attrs.customOptions = custom;
    const opt2Type = r.fieldU8(ot, 26, 0);
    const opt2Table = opt2Type !== 0 ? r.subTable(ot, 28, `${where}.builtin_options_2`) : undefined;
    if (opt2Table) attrs.rawOptions2 = { type: opt2Type, bytes: captureTable(r, opt2Table) };

    const entry = stored?.[k];
    let name: string;
    let sourceNode: string | undefined;
    if (typeof entry === 'string') name = entry;
    else if (Array.isArray(entry) && typeof entry[0] === 'string') {
      name = entry[0];
      if (typeof entry[1] === 'string') sourceNode = entry[1];
      else if (entry.length === 1) sourceNode = name;
    } else name = outputs[0] || `${code.op.toLowerCase()}_${k}`;
    if (usedNames.has(name)) name = `${name}__op${k}`;
    usedNames.add(name);
    const node: Node = { name, op: code.op, inputs, outputs, attrs, version: code.version };
    if (sourceNode !== undefined) node.sourceNode = sourceNode;
    g.addNode(node);
  });

  // --- signature (the one for subgraph 0; serving_default preferred) ---------------------
  const sigs = r.tables(model, 18, 'Model.signature_defs').filter((st) => r.fieldU32(st, 12, 0) === 0);
  const pick = sigs.find((st) => r.string(st, 8, 'signature key') === 'serving_default') ?? sigs[0];
  if (pick) {
    const maps = (slot: number, what: string) =>
      r.tables(pick, slot, what).map((mt, i) => ({
        name: r.string(mt, 4, `${what}[${i}].name`) ?? '',
        tensor: tensorName(r.fieldU32(mt, 6, 0), `${what}[${i}]`),
      }));
    const sig: Signature = { key: r.string(pick, 8, 'signature key') ?? '', inputs: maps(4, 'signature inputs'), outputs: maps(6, 'signature outputs') };
    g.signature = sig;
  }
  return g;
}

/** Decode a .tflite model into the IR. Bad bytes throw MaiError `tflite-decode-failed` (exit 2) naming `file`. */
export function readTflite(bytes: Uint8Array, file = '<tflite bytes>'): Graph {
  try {
    return decodeModel(bytes);
  } catch (e) {
    if (isMaiError(e)) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw inputError('tflite-decode-failed', `cannot read ${file} as a TFLite model: ${why}`, {
      file,
      hint: 'the file is truncated, corrupt or not a .tflite flatbuffer',
      cause: e,
    });
  }
}
