import { basename, extname } from 'node:path';

export type ModelFormat = 'onnx' | 'tflite' | 'tf-graph' | 'unknown';

/** The three TF graph formats (src/convert/tf/load.ts reads each). */
export type TfFormat = 'tfjs' | 'graphdef' | 'saved-model';

/**
 * Sniffs a model's format from its bytes (TFLite identifier, JSON / protobuf field layout) and file
 * name. TF graphs (tfjs model.json, SavedModel, frozen GraphDef) are 'tf-graph'; sniffTfFormat tells them apart.
 */
export function detectFormat(bytes: Uint8Array, file?: string): ModelFormat {
  if (bytes.byteLength >= 8) {
    const id = String.fromCharCode(bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!);
    if (id === 'TFL3') return 'tflite';
  }
  const ext = file ? extname(file).toLowerCase() : '';
  if (ext === '.tflite') return 'tflite';
  if (ext === '.onnx') return 'onnx';
  if (sniffTfFormat(bytes, file)) return 'tf-graph';
  if (ext === '.json' || ext === '.pb') return 'tf-graph';
  // ONNX ModelProto starts with field 1 (ir_version, varint → 0x08) in practice.
  if (bytes[0] === 0x08) return 'onnx';
  return 'unknown';
}

/** Which TF format `bytes` (of `file`) hold, or undefined when none. */
export function sniffTfFormat(bytes: Uint8Array, file?: string): TfFormat | undefined {
  let i = 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09 || bytes[i] === 0xef || bytes[i] === 0xbb || bytes[i] === 0xbf)) i++;
  if (bytes[i] === 0x7b /* { */) return 'tfjs';
  if (file && basename(file) === 'saved_model.pb') return 'saved-model';
  // SavedModel: field 1 (saved_model_schema_version, varint 1) then field 2 (meta_graphs)
  if (bytes[0] === 0x08 && bytes[1] === 0x01 && bytes[2] === 0x12) return 'saved-model';
  // GraphDef: field 1 (node, length-delimited) first
  if (bytes[0] === 0x0a) return 'graphdef';
  return undefined;
}
