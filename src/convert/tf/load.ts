/**
 * Reads a TF model from disk by content: a tfjs graph model (JSON with a modelTopology), a SavedModel
 * (a directory holding saved_model.pb, or that file itself: a SavedModel proto beside variables/),
 * or a frozen GraphDef (.pb).
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inputError } from '../../core/errors.js';
import type { TfModel } from './model.js';
import { sniffTfFormat } from '../../core/model-format.js';
import { readGraphDef } from './graphdef.js';
import { readSavedModel } from './saved-model.js';
import { readTfjsModel } from './tfjs-model.js';

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
