/**
 * Reads a TF model from disk by content: a tfjs graph model (JSON with a modelTopology), a SavedModel
 * (a directory holding saved_model.pb, or that file itself: a SavedModel proto beside variables/),
 * or a frozen GraphDef (.pb).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inputError } from '../../core/errors.js';
import type { TfFormat, TfModel } from './model.js';
import { readGraphDef } from './graphdef.js';
import { readSavedModel } from './saved-model.js';
import { readTfjsModel } from './tfjs-model.js';

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

/** The bytes and path a model path stands for: a directory is a SavedModel (its saved_model.pb). */
export function savedModelFile(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return join(path, 'saved_model.pb');
  } catch {
    return undefined;
  }
  return undefined;
}

export interface TfLoadOptions {
  /** SavedModel signature (default serving_default). */
  signature?: string;
}

export function loadTfModel(bytes: Uint8Array, file: string, opts: TfLoadOptions = {}): TfModel {
  const format = sniffTfFormat(bytes, file);
  switch (format) {
    case 'tfjs':
      return readTfjsModel(bytes, file);
    case 'saved-model':
      return readSavedModel(bytes, basename(file) === 'saved_model.pb' ? dirname(file) : file, opts.signature);
    case 'graphdef':
      return readGraphDef(bytes, file);
    default:
      throw inputError('unknown-format', `${file} is not a TensorFlow model mai recognises (tfjs model.json, frozen GraphDef .pb or SavedModel)`, { file });
  }
}

export function readBytes(path: string): Uint8Array {
  const b = readFileSync(path);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
