/**
 * TensorFlow.js graph model (model.json + weight shards) → TfModel. The shards of each manifest group
 * are concatenated in order and every weight takes its bytes in order: float32 / int32 / bool as
 * stored, quantized entries as raw float16 or uint8 / uint16 with value = q × scale + min.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { inputError } from '../../core/errors.js';
import { DTYPE_SIZE, halfToFloat, type DType, type TypedArray } from '../../ir/dtype.js';
import { numElements } from '../../ir/tensor.js';
import type { ConstData } from '../onnx/tensor-data.js';
import type { TfGraphDef, TfIo, TfModel, TfSignatureDef } from './model.js';
import { signatureIo } from './signature.js';
import { bytesAs } from './tensor.js';

interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number; original_dtype?: string };
}

interface ModelJson {
  format?: string;
  modelTopology?: TfGraphDef;
  weightsManifest?: Array<{ paths: string[]; weights: WeightEntry[] }>;
  signature?: TfSignatureDef;
  userDefinedMetadata?: { signature?: TfSignatureDef };
  convertedBy?: string;
  generatedBy?: string;
}

const WEIGHT_DTYPE: Record<string, DType> = { float32: 'float32', int32: 'int32', bool: 'bool', float16: 'float16', uint8: 'uint8', int8: 'int8', int16: 'int16', uint16: 'uint16' };

/** Is this parsed JSON a tfjs graph model? (Layers models have format 'layers-model'.) */
export function isTfjsGraphModel(json: unknown): boolean {
  const j = json as ModelJson | null;
  return !!j && typeof j === 'object' && !!j.modelTopology && Array.isArray((j.modelTopology as TfGraphDef).node);
}

function parseJson(bytes: Uint8Array, file: string): ModelJson {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as ModelJson;
  } catch (e) {
    throw inputError('tf-decode-failed', `${file} is not valid JSON (${(e as Error).message}); the file may be truncated`, { file, cause: e });
  }
}

function readShards(file: string, paths: string[]): Uint8Array {
  const dir = dirname(file);
  const parts = paths.map((p) => {
    const path = resolve(dir, p);
    try {
      if (!statSync(path).isFile()) throw inputError('tf-weights-missing', 'not a file');
      return readFileSync(path);
    } catch {
      throw inputError('tf-weights-missing', `${file}: weight shard '${p}' is missing (looked for ${path})`, { file: path });
    }
  });
  const all = Buffer.concat(parts);
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
}

function dequantize(w: WeightEntry, raw: Uint8Array, count: number): TypedArray {
  const q = w.quantization!;
  const out = w.dtype === 'int32' ? new Int32Array(count) : new Float32Array(count);
  if (q.dtype === 'float16') {
    const h = bytesAs('uint16', raw, count) as Uint16Array;
    for (let i = 0; i < count; i++) out[i] = halfToFloat(h[i]!);
    return out;
  }
  const qs = bytesAs(q.dtype === 'uint16' ? 'uint16' : 'uint8', raw, count) as Uint8Array | Uint16Array;
  const scale = q.scale ?? 1;
  const min = q.min ?? 0;
  for (let i = 0; i < count; i++) out[i] = out instanceof Int32Array ? Math.round(qs[i]! * scale + min) : qs[i]! * scale + min;
  return out;
}

function readWeights(file: string, json: ModelJson): Map<string, ConstData> {
  const weights = new Map<string, ConstData>();
  for (const group of json.weightsManifest ?? []) {
    const bytes = readShards(file, group.paths ?? []);
    let offset = 0;
    for (const w of group.weights ?? []) {
      const count = numElements(w.shape);
      const stored = w.quantization ? WEIGHT_DTYPE[w.quantization.dtype] : WEIGHT_DTYPE[w.dtype];
      if (!stored) throw inputError('unsupported-dtype', `${file}: weight '${w.name}' has dtype ${w.quantization?.dtype ?? w.dtype}, which mai cannot read`, { file });
      const size = count * DTYPE_SIZE[stored];
      if (offset + size > bytes.byteLength) {
        throw inputError('tf-weights-short', `${file}: the weight shards [${group.paths.join(', ')}] hold ${bytes.byteLength} bytes, weight '${w.name}' [${w.shape}] needs bytes ${offset}…${offset + size}`, { file });
      }
      const raw = bytes.subarray(offset, offset + size);
      offset += size;
      const data = w.quantization ? dequantize(w, raw, count) : bytesAs(stored, raw, count);
      weights.set(w.name, { dtype: w.quantization && w.dtype !== 'int32' ? 'float32' : stored, shape: [...w.shape], data });
    }
  }
  return weights;
}

export function readTfjsModel(bytes: Uint8Array, file: string): TfModel {
  const json = parseJson(bytes, file);
  if (!isTfjsGraphModel(json)) {
    const hint = json.format === 'layers-model' ? 'a tfjs layers model; convert it with tensorflowjs_converter --output_format=tfjs_graph_model' : 'expected a TensorFlow.js graph model (modelTopology with nodes)';
    throw inputError('unknown-format', `${file} is not a TensorFlow.js graph model: ${hint}`, { file });
  }
  const signature = json.signature ?? json.userDefinedMetadata?.signature;
  const io = signature ? signatureIo(signature) : undefined;
  const inputs: TfIo[] | undefined = io?.inputs.length ? io.inputs : undefined;
  const outputs: TfIo[] | undefined = io?.outputs.length ? io.outputs : undefined;
  return {
    format: 'tfjs',
    file,
    nodes: json.modelTopology!.node ?? [],
    weights: readWeights(file, json),
    inputs,
    outputs,
    producer: json.convertedBy ?? json.generatedBy,
  };
}
