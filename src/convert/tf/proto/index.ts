/**
 * TensorFlow protobuf decoding with protobufjs over the schema subset in tf.proto.ts. Decoded
 * messages are turned into plain objects with the field names and value forms of proto3 JSON
 * (camelCase, int64 as strings, enums as names) so model.json topologies and binary GraphDefs
 * share one node importer; bytes stay Uint8Array (readers accept base64 strings too).
 */
import protobuf from 'protobufjs';
import { inputError } from '../../../core/errors.js';
import { TF_PROTO } from './tf.proto.js';
import type { TfGraphDef, TfSavedModel } from '../model.js';

let root: protobuf.Root | undefined;

function type(name: string): protobuf.Type {
  root ??= protobuf.parse(TF_PROTO, { keepCase: false }).root;
  return root.lookupType(`tensorflow.${name}`);
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, defaults: false, arrays: true, oneofs: false };

/** Decodes `bytes` as message `name`; a truncated or corrupt buffer is a clear exit-2 error naming `file`. */
export function decodeMessage<T>(name: string, bytes: Uint8Array, file: string, what: string): T {
  const t = type(name);
  try {
    return t.toObject(t.decode(bytes), TO_OBJECT) as T;
  } catch (e) {
    throw inputError('tf-decode-failed', `${file} is not a valid ${what} (${(e as Error).message}); the file may be truncated or corrupt`, { file, cause: e });
  }
}

export function decodeGraphDef(bytes: Uint8Array, file: string): TfGraphDef {
  return decodeMessage<TfGraphDef>('GraphDef', bytes, file, 'TensorFlow GraphDef');
}

export function decodeSavedModel(bytes: Uint8Array, file: string): TfSavedModel {
  return decodeMessage<TfSavedModel>('SavedModel', bytes, file, 'TensorFlow SavedModel');
}
