import { extname } from 'node:path';
import { sniffTfFormat } from './tf/load.js';

export type ModelFormat = 'onnx' | 'tflite' | 'tf-graph' | 'unknown';

/**
 * Sniffs a model's format from its bytes (TFLite identifier, JSON / protobuf field layout) and file
 * name. TF graphs (tfjs model.json, SavedModel, frozen GraphDef) are 'tf-graph'; tf/load.ts tells them apart.
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
